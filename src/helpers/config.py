"""Paths of a project copy. Every command works on one root (``--root``, default: the cwd)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Paths:
    """Where a copy of the project keeps its files."""

    root: Path

    @classmethod
    def at(cls, root: str | Path | None = None) -> "Paths":
        """The project at ``root``; by default the nearest folder up from the cwd that has ``data/raw``
        (so a notebook running in ``notebooks/`` finds its project)."""
        if root is not None:
            return cls(Path(root).resolve())
        here = Path.cwd().resolve()
        for folder in (here, *here.parents):
            if (folder / "data" / "raw").is_dir():
                return cls(folder)
        return cls(here)

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def raw(self) -> Path:
        return self.data / "raw"

    @property
    def processed(self) -> Path:
        return self.data / "processed"

    @property
    def sources_csv(self) -> Path:
        return self.raw / "sources.csv"

    @property
    def figures_csv(self) -> Path:
        return self.raw / "figures.csv"

    @property
    def events_csv(self) -> Path:
        return self.raw / "events.csv"

    @property
    def amendments_csv(self) -> Path:
        return self.raw / "amendments.csv"

    @property
    def claims_csv(self) -> Path:
        return self.processed / "claims.csv"

    @property
    def monthly_csv(self) -> Path:
        return self.processed / "monthly.csv"

    @property
    def discrepancies_csv(self) -> Path:
        return self.processed / "discrepancies.csv"

    @property
    def periods_csv(self) -> Path:
        return self.processed / "periods.csv"

    @property
    def readings_csv(self) -> Path:
        return self.processed / "readings.csv"

    @property
    def processed_files(self) -> tuple[Path, ...]:
        """The set ``tally build`` writes (and lists in ``data/processed/MANIFEST.sha256``)."""
        return (self.claims_csv, self.monthly_csv, self.discrepancies_csv, self.periods_csv, self.readings_csv)

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    def rel(self, path: Path) -> str:
        """``path`` relative to the root, as error messages show it."""
        try:
            return str(Path(path).resolve().relative_to(self.root))
        except ValueError:
            return str(path)
