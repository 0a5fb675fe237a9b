"""Benchmark of the release parser: releases and figures per second.

Generates a few thousand release texts from the test fixtures (every layout), with the counts in each
replaced by random numbers, and parses them twice:

* ``parser``: helpers.parse as shipped (patterns compiled once, at import);
* ``baseline``: the same work, but every pattern of the module compiled afresh for each text (the
  ``re`` cache purged first), as a parser that builds its patterns per call would.

Usage: PYTHONPATH=src python bench/bench_parse.py [N] [--seed S]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
import types
from pathlib import Path

from helpers import parse
from helpers.errors import ParseError

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "releases"
COUNT = re.compile(r"(?<![\w.,/-])[0-9]{1,3}(?=\s+(?:partnered|U\.S\.|US-|ISIS|D-ISIS|Defeat|operations|terrorists|"
                   r"killed|detained|captured|total|unilateral|senior|others))")


def generate(n: int, rng: random.Random) -> list[str]:
    """n release texts: the fixtures in turn, each count replaced by a random one."""
    templates = [p.read_text(encoding="utf-8-sig") for p in sorted(FIXTURES.glob("*.txt"))]
    return [COUNT.sub(lambda m: str(rng.randint(0, 400)), templates[i % len(templates)]) for i in range(n)]


def patterns() -> list[re.Pattern]:
    """Every compiled pattern of helpers.parse's modules, in their tables too (each once)."""
    modules = [m for m in vars(parse).values()
               if isinstance(m, types.ModuleType) and m.__name__.startswith(parse.__name__)]
    found, seen, todo = [], set(), [v for m in modules for v in vars(m).values()]
    while todo:
        value = todo.pop()
        if isinstance(value, re.Pattern) and id(value) not in seen:
            seen.add(id(value))
            found.append(value)
        elif isinstance(value, (tuple, list)):
            todo.extend(value)
    return found


def run(texts: list[str], recompile: list[re.Pattern] | None) -> tuple[float, int]:
    figures = 0
    start = time.process_time()  # CPU time: steadier than wall time on a busy machine
    for text in texts:
        if recompile is not None:
            re.purge()
            for p in recompile:
                re.compile(p.pattern, p.flags)
        try:
            figures += len(parse.parse_text(text).figures)
        except ParseError:
            pass
    return time.process_time() - start, figures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", nargs="?", type=int, default=3000, help="releases to generate (default 3000)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    texts = generate(args.n, random.Random(args.seed))
    compiled = patterns()
    run(texts[:50], None)  # warm-up
    fast, figures = run(texts, None)
    slow, _ = run(texts, compiled)
    size = sum(map(len, texts)) / len(texts)
    print(f"{len(texts)} releases ({len(list(FIXTURES.glob('*.txt')))} layouts and variants, "
          f"{size:,.0f} characters each on average), {figures} figures, {len(compiled)} patterns")
    for label, seconds in (("parser (patterns compiled once)", fast), ("baseline (recompiled per text)", slow)):
        print(f"{label:34} {len(texts) / seconds:9,.0f} releases/s {figures / seconds:11,.0f} figures/s")
    print(f"{'speed-up':34} {slow / fast:9.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
