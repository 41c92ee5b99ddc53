"""Find the tables in an exports folder and check each file can be used before loading it."""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

from probity.contract import TABLES, TableSpec
from probity.ingest.errors import SourceFileError

CHUNK = 16 << 20


@dataclass(frozen=True)
class Source:
    spec: TableSpec
    path: Path

    @property
    def format(self) -> str:
        return self.path.suffix.lstrip(".")


def find_sources(folder: Path) -> tuple[list[Source], list[str]]:
    """The contract tables present, in load order, and the names of files nobody asked for."""
    if not folder.is_dir():
        raise SourceFileError(folder, "exports folder not found")
    found: list[Source] = []
    known: set[str] = set()
    for spec in TABLES:
        forms = [folder / f"{spec.name}.{ext}" for ext in ("csv", "parquet")]
        present = [p for p in forms if p.exists()]
        known.update(p.name for p in forms)
        if len(present) == 2:
            raise SourceFileError(
                folder / spec.name, "table given as both .csv and .parquet; keep one"
            )
        if present:
            found.append(Source(spec, present[0]))
        elif spec.required:
            raise SourceFileError(folder / f"{spec.name}.csv", "required table is missing")
    unknown = sorted(p.name for p in folder.iterdir() if p.is_file() and p.name not in known)
    return found, unknown


def _check_utf8(path: Path) -> None:
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as e:
                bad_line = line + chunk[: e.start].count(b"\n")
                raise SourceFileError(
                    path, f"not UTF-8 (byte 0x{chunk[e.start]:02x})", row=bad_line
                ) from None
            line += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise SourceFileError(
                path, "not UTF-8 (file ends inside a character)", row=line
            ) from None


def _check_complete(path: Path, n_columns: int) -> None:
    """A file cut short ends mid-record: no final newline and a record that does not parse whole."""
    size = path.stat().st_size
    with path.open("rb") as f:
        f.seek(max(0, size - 65536))
        tail = f.read()
    if tail.endswith(b"\n"):
        return
    last = tail.rsplit(b"\n", 1)[-1].decode("utf-8", errors="replace")
    try:
        records = list(csv.reader(io.StringIO(last), strict=True))
    except csv.Error:
        records = []
    if last.count('"') % 2 == 1 or len(records) != 1 or len(records[0]) != n_columns:
        raise SourceFileError(path, "file is truncated: the last record is incomplete")


def check_csv(source: Source) -> list[str]:
    """The header of a usable CSV file, or a SourceFileError saying why it is not usable."""
    path = source.path
    if path.stat().st_size == 0:
        raise SourceFileError(path, "file is empty (no header row)")
    _check_utf8(path)
    # "utf-8-sig": Excel's "CSV UTF-8" starts the file with a byte-order mark.
    with path.open(encoding="utf-8-sig", newline="") as f:
        try:
            header = next(csv.reader(f, strict=True))
        except (StopIteration, csv.Error) as e:
            raise SourceFileError(path, f"unreadable header row ({e})", row=1) from None
    _check_header(source, header)
    _check_complete(path, len(header))
    return header


def check_parquet(source: Source) -> list[str]:
    try:
        schema = pq.read_schema(source.path)
    except Exception as e:  # pyarrow raises several types for damaged files
        raise SourceFileError(
            source.path, f"not a readable Parquet file, truncated or damaged ({e})"
        ) from None
    header = list(schema.names)
    _check_header(source, header)
    return header


def _check_header(source: Source, header: list[str]) -> None:
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise SourceFileError(
                source.path, "column appears twice in the header", row=1, column=name
            )
        seen.add(name)
    for column in source.spec.columns:
        if column.required and column.name not in seen:
            raise SourceFileError(source.path, "required column is missing", column=column.name)
