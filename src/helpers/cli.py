"""The ``tally`` command: check, build, parse, ingest and report a copy of the project."""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys

from . import __version__
from .config import Paths
from .errors import DataError, TallyError


def _check(args) -> int:
    from . import amendments
    from ._files import raw_lock
    from .curate import validate

    paths = Paths.at(args.root)
    with raw_lock(paths.raw, "check", paths.root):  # also completes an interrupted ingest
        sources, figures, problems = validate(paths)
        problems += amendments.problems(paths)
    if problems:
        for line in problems:
            print(line, file=sys.stderr)
        print(f"tally check: {len(problems)} problem(s) found", file=sys.stderr)
        return 1
    print(f"tally check: ok, {len(figures)} figures from {len(sources)} sources in {paths.rel(paths.raw)}")
    return 0


def _build(args) -> int:
    from .build import build

    paths = Paths.at(args.root)
    tables = build(paths)
    sizes = ", ".join(f"{paths.rel(p)} ({len(df)} rows)" for p, df in tables.items())
    print(f"tally build: wrote {sizes}")
    return 0


def _parse(args) -> int:
    from .parse import run_parse

    return run_parse(args.files, args.json, sys.stdout, sys.stderr, explained=args.explain)


def _ingest(args) -> int:
    from .ingest import run_ingest

    return run_ingest(Paths.at(args.root), args.file, args.url, args.yes, sys.stdout, sys.stderr)


def _add(args) -> int:
    from datetime import date

    from .add import run_add

    return run_add(Paths.at(args.root), args.file, args.yes, date.today().isoformat(), sys.stdout)


def _total(args) -> int:
    from .build import load_claims
    from .reconcile.totals import check_query, total
    from .words import qualified

    check_query(args.span, args.metric, args.country)  # a usage error before the data is read
    t = total(load_claims(Paths.at(args.root)), args.span, args.metric, args.country)
    print(f"{args.span} {args.metric}, {t.place}: {t.amount} ({t.basis})")
    print(t.sentence)
    for c in t.claims:
        print(f"  {c.id}  {c.source_id}  {qualified(c.value, c.qualifier)}  {c.country}  {c.start}..{c.end}")
    return 0


def _report(args) -> int:
    from .report import run_report

    return run_report(Paths.at(args.root), month=args.month, all_months=args.all, last_added=args.last_added,
                      jobs=args.jobs,
                      pdf=args.pdf, stdout=sys.stdout, stderr=sys.stderr)


def _jobs(text: str) -> int:
    """``--jobs``: a whole number of 1 or more (otherwise a usage error, exit status 2)."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {n}")
    return n
_RAW = argparse.RawDescriptionHelpFormatter
EXAMPLES = {  # shown under each command's --help
    "tally": "examples:\n  tally check\n  tally build\n  tally report --month 2023-07\n"
             "  tally ingest release.txt --url https://www.centcom.mil/... --yes\n"
             "run `tally COMMAND --help` for each command's options.",
    "check": "example:\n  tally check                  # validate data/raw/ of the project in the current folder",
    "build": "example:\n  tally build --root ~/disis   # rebuild data/processed/ of another copy",
    "parse": "example:\n  tally parse release.txt --json",
    "ingest": "example:\n  tally ingest release.txt --url https://www.centcom.mil/MEDIA/PRESS-RELEASES/... --yes",
    "add": "example:\n  tally add found-figures.csv          # show what would be appended\n"
           "  tally add found-figures.csv --yes    # append sources, figures and scope marks",
    "total": "examples:\n  tally total 2024-Q2 operations\n  tally total 2025-07..2025-12 detained --country syria",
    "report": "examples:\n  tally report                 # the latest month with a figure\n"
              "  tally report --month 2023-07 --pdf\n  tally report --last-added    # after tally ingest\n"
              "  tally report --all --jobs 2",
}


def parser() -> argparse.ArgumentParser:
    """The argument parser of ``tally``."""
    root = argparse.ArgumentParser(add_help=False)
    root.add_argument("--root", default=argparse.SUPPRESS, metavar="DIR",
                      help="the copy of the project to work on (default: the current directory)")
    p = argparse.ArgumentParser(prog="tally", description=__doc__, parents=[root], epilog=EXAMPLES["tally"],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    c = sub.add_parser("check", parents=[root], epilog=EXAMPLES["check"], formatter_class=_RAW,
                       help="validate data/raw/; one line per problem")
    c.set_defaults(func=_check)
    b = sub.add_parser("build", parents=[root], epilog=EXAMPLES["build"], formatter_class=_RAW,
                       help="rebuild data/processed/ from data/raw/")
    b.set_defaults(func=_build)
    pa = sub.add_parser("parse", parents=[root], epilog=EXAMPLES["parse"], formatter_class=_RAW,
                        help="print the figures a release text states, as CSV")
    pa.add_argument("files", nargs="+", metavar="FILE")
    shape = pa.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="print JSON instead of CSV")
    shape.add_argument("--explain", action="store_true",
                       help="for each figure, the sentence it came from and the words that set its metric, "
                            "country and period")
    pa.set_defaults(func=_parse)
    i = sub.add_parser("ingest", parents=[root], epilog=EXAMPLES["ingest"], formatter_class=_RAW,
                       help="parse a release and append it to data/raw/")
    i.add_argument("file", metavar="FILE")
    i.add_argument("--url", required=True, help="the release's web address")
    i.add_argument("--yes", action="store_true", help="append (without it, only show what would be added)")
    i.set_defaults(func=_ingest)
    ad = sub.add_parser("add", parents=[root], epilog=EXAMPLES["add"], formatter_class=_RAW,
                        help="append hand-curated figures (one CSV row per figure) to data/raw/")
    ad.add_argument("file", metavar="FILE")
    ad.add_argument("--yes", action="store_true", help="append (without it, only show what would be added)")
    ad.set_defaults(func=_add)
    t = sub.add_parser("total", parents=[root], help="the total of a metric over any span, and how it is known",
                       description="The total of a core metric over a span of whole months: a stated or derived "
                                   "value where one exists, else the tightest bounds the figures allow.",
                       epilog=EXAMPLES["total"], formatter_class=_RAW)
    t.add_argument("span", metavar="SPAN", help="YYYY, YYYY-MM, YYYY-Qn, YYYY-Hn, or FROM..TO (2025-07..2025-12)")
    t.add_argument("metric", metavar="METRIC", help="operations, partnered_operations, us_only_operations, killed "
                                                    "or detained")
    t.add_argument("--country", default="all", help="all (default), iraq or syria")
    t.set_defaults(func=_total)
    r = sub.add_parser("report", parents=[root], epilog=EXAMPLES["report"], formatter_class=_RAW,
                       help="render the monthly report(s) into reports/")
    which = r.add_mutually_exclusive_group()
    which.add_argument("--month", metavar="YYYY-MM",
                       help="the month to render (default: the latest month with a published or derived figure)")
    which.add_argument("--last-added", action="store_true",
                       help="the last month covered by the source added last (after tally ingest)")
    which.add_argument("--all", action="store_true", help="render every month and reports/index.html")
    r.add_argument("--jobs", type=_jobs, default=None, metavar="N",
                   help="months rendered at once with --all; processes drawing the figures with --month "
                        "(default: the number of cores)")
    r.add_argument("--pdf", action="store_true", help="also write report.pdf (needs Chromium)")
    r.set_defaults(func=_report)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run ``tally``; a user's mistake gets its message and a non-zero exit, never a traceback.

    Exit status: 0 done; 1 a problem of the data or the files (named, one line each); 2 a usage
    error (an unknown option, a malformed month, ``--jobs 0``); 130 interrupted."""
    args = parser().parse_args(argv)
    if not hasattr(args, "root"):
        args.root = None
    try:
        status = args.func(args)
        sys.stdout.flush()  # here, where a reader gone away is caught, rather than at exit
        return status
    except DataError as exc:
        for line in exc.problems:
            print(line, file=sys.stderr)
        print(f"tally {args.command}: {len(exc.problems)} problem(s) in data/raw; nothing was written",
              file=sys.stderr)
        return exc.exit_code
    except TallyError as exc:
        print(f"tally {args.command}: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        # whoever read the output has gone (``tally total ... | head``): nothing to report. As Python's
        # documentation advises, stdout goes to devnull, so that flushing it at exit raises nothing more.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as exc:
        where = Paths.at(args.root).rel(exc.filename) if exc.filename else "(unnamed file)"
        print(f"tally {args.command}: {where}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def run() -> None:
    """The console script: ``main``, then exit with its status."""
    status = main()
    # What is loaded stays loaded until the process ends: spare the interpreter's last garbage
    # collections a walk through all of it (a tenth of a second or more after a report).
    gc.freeze()
    sys.exit(status)


if __name__ == "__main__":
    run()
