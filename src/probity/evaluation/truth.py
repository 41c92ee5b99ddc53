"""The planted ground truth a synthetic force is written with (`OUT-truth` beside the exports)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path


class TruthError(Exception):
    pass


@dataclass(frozen=True)
class Truth:
    planted: dict[str, set[str]]  # person_id -> concerns planted
    decoys: set[str]

    @classmethod
    def read(cls, folder: Path) -> Truth:
        planted_file, decoys_file = folder / "planted.csv", folder / "decoys.csv"
        for f in (planted_file, decoys_file):
            if not f.exists():
                raise TruthError(
                    f"{f}: not found (a truth folder holds planted.csv and decoys.csv)"
                )
        planted: dict[str, set[str]] = {}
        with planted_file.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                planted.setdefault(row["person_id"], set()).add(row["concern"])
        with decoys_file.open(encoding="utf-8", newline="") as fh:
            decoys = {row["person_id"] for row in csv.DictReader(fh)} - set(planted)
        return cls(planted, decoys)

    def for_purpose(self, purpose: str) -> dict[str, set[str]]:
        """Welfare plants belong to the welfare queue, every other concern to professional standards."""
        keep = (lambda c: c == "welfare") if purpose == "welfare" else (lambda c: c != "welfare")
        out = {p: {c for c in cs if keep(c)} for p, cs in self.planted.items()}
        return {p: cs for p, cs in out.items() if cs}
