"""Shared fixtures: the repository's paths and scratch copies of the project."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers._formats import IRI_CHECKER, skip_format_checkers
from helpers.config import Paths

# Before any test module imports nbformat: jsonschema's "iri" format checker takes a second to import
# in every test process, and no schema the tests validate uses "iri" (CITATION.cff's schema uses
# "uri" and "date", which stay checked).
skip_format_checkers(IRI_CHECKER)

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def repo() -> Paths:
    """The project checkout itself (read only)."""
    return Paths.at(REPO)


@pytest.fixture
def project(tmp_path) -> Paths:
    """A scratch copy of the project's raw data, for commands run with --root."""
    paths = Paths.at(tmp_path / "copy")
    shutil.copytree(REPO / "data" / "raw", paths.raw)
    paths.processed.mkdir(parents=True)
    return paths


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Paths:
    """A scratch copy with data/processed built once for the session."""
    from helpers.build import build

    paths = Paths.at(tmp_path_factory.mktemp("built"))
    shutil.copytree(REPO / "data" / "raw", paths.raw)
    build(paths)
    return paths


@pytest.fixture
def built_copy(built, tmp_path) -> Paths:
    """A scratch copy of ``built`` (raw and processed), for a test that changes either."""
    paths = Paths.at(tmp_path / "copy")
    shutil.copytree(built.root, paths.root)
    return paths


@pytest.fixture(scope="session")
def real(built):
    """The built copy's tables, as the figures and the narrative read them."""
    from helpers.narrative import Tables

    return Tables.load(built)
