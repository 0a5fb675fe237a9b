"""The project's own promises: set-up files agree, make targets are documented."""

from __future__ import annotations

import ast
import re
import subprocess
import tomllib

from conftest import REPO


def _requirement(spec: str) -> tuple[str, str]:
    name, _, bound = re.match(r"^\s*([A-Za-z0-9_.-]+)\s*(>=\s*([\w.]+))?", spec).groups()
    return name.lower(), (bound or "").replace(" ", "")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    wanted = dict(_requirement(s) for s in project["dependencies"] + project["optional-dependencies"]["test"])
    wanted["python"] = project["requires-python"].removeprefix(">=")
    conda = {}
    in_deps = False
    for line in (REPO / "environment.yml").read_text().splitlines():
        if line.startswith("dependencies:"):
            in_deps = True
            continue
        m = re.match(r"^  - ([^:\s]+)\s*$", line)
        if in_deps and m and m.group(1) != "pip":
            conda.update([_requirement(m.group(1))])
    assert conda == wanted
    assert "      - -e ." in (REPO / "environment.yml").read_text()


def test_make_help_lists_every_target_on_one_line():
    out = subprocess.run(["make", "-s", "help"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    listed = [line.split()[1] for line in out.splitlines()]
    declared = re.findall(r"^([a-z-]+):.*## ", (REPO / "Makefile").read_text(), flags=re.M)
    assert listed == declared
    for needed in ("setup", "report", "test", "help", "lab", "bench", "update"):
        assert needed in listed


def test_ci_runs_the_readme_test_command():
    script = (REPO / ".ci" / "run").read_text()
    commands = [line for line in script.splitlines()
                if line.strip() and not line.startswith("#") and not line.startswith(("set ", "cd "))]
    assert commands == ["make test"]


def test_readme_opens_with_the_two_commands():
    readme = (REPO / "README.md").read_text()
    first_block = re.search(r"```sh\n(.*?)```", readme, flags=re.S).group(1)
    assert [line.split("#")[0].strip() for line in first_block.strip().splitlines()] == ["make report", "make test"]


def test_readme_narrative_excerpt_is_what_the_data_gives(built):
    from helpers.readme import excerpt, readme_block

    shown = readme_block((REPO / "README.md").read_text())
    assert shown, "README.md lost its narrative excerpt"
    assert shown == excerpt(built), "README's excerpt is stale: run `make readme`"


# namedtuple's public methods carry an underscore so as not to clash with field names
PUBLIC_UNDERSCORED = {"_asdict", "_replace", "_fields", "_make"}


def _own_underscored(trees) -> set[str]:
    """Underscore-prefixed names the package itself defines: functions, methods, and attributes it sets."""
    names = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
    return {n for n in names if n.startswith("_")}


def test_src_uses_no_private_member_of_another_library():
    """Issue 13: no ``__wrapped__``, no call or override of another library's underscore-prefixed members."""
    files = sorted((REPO / "src" / "helpers").rglob("*.py"))
    trees = {f: ast.parse(f.read_text(encoding="utf-8")) for f in files}
    own = _own_underscored(trees.values())
    own_classes = {n.name for t in trees.values() for n in ast.walk(t) if isinstance(n, ast.ClassDef)}
    found = []
    for f, tree in trees.items():
        where = f.relative_to(REPO)
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute):
                private = node.attr.startswith("_") and not node.attr.startswith("__")
                if node.attr == "__wrapped__" or (private and node.attr not in own | PUBLIC_UNDERSCORED):
                    found.append(f"{where}:{node.lineno}: {ast.unparse(node)}")
            if isinstance(node, ast.ClassDef) and any(ast.unparse(b).split(".")[-1] not in own_classes
                                                      for b in node.bases):
                for item in node.body:  # a subclass of another library's class overrides only public names
                    if (isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name.startswith("_")
                            and not item.name.startswith("__")):
                        found.append(f"{where}:{item.lineno}: {node.name}.{item.name} overrides a private member")
    assert not found, "\n".join(found)
