"""The project's own promises: set-up files agree, make targets are documented."""

from __future__ import annotations

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
