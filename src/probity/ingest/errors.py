"""The error a source file that cannot be used at all raises: it names the file, and the row and
column where it can."""

from __future__ import annotations

from pathlib import Path


class SourceFileError(Exception):
    def __init__(
        self, path: Path | str, problem: str, row: int | None = None, column: str | None = None
    ) -> None:
        self.path = Path(path)
        self.problem = problem
        self.row = row
        self.column = column
        where = [self.path.name]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__(f"{', '.join(where)}: {problem}")
