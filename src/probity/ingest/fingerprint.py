"""What a source file held, as a fingerprint a later run can compare with, and whether a new
file is the old one with rows added at the end.

A CSV file is an append of an older one when its first bytes hash to the old file's digest.
A Parquet file is compared row group by row group (the bytes of each group's column chunks):
a writer that appends a day to a file writes the earlier groups again byte for byte, and any
group that differs (usually the last, part-filled one) is read again with everything after it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

CHUNK = 8 << 20


def fingerprint(path: Path) -> dict[str, Any]:
    if path.suffix == ".parquet":
        return _parquet_fingerprint(path)
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(CHUNK):
            digest.update(block)
    return {
        "file": path.name,
        "format": "csv",
        "size": path.stat().st_size,
        "sha256": digest.hexdigest(),
    }


def _row_group_ranges(path: Path) -> tuple[str, list[tuple[int, int, int]]]:
    """The schema, and (start byte, end byte, rows) of each row group in file order."""
    meta = pq.ParquetFile(path).metadata
    ranges = []
    for i in range(meta.num_row_groups):
        group = meta.row_group(i)
        starts, ends = [], []
        for j in range(group.num_columns):
            chunk = group.column(j)
            start = chunk.data_page_offset
            if chunk.has_dictionary_page and chunk.dictionary_page_offset:
                start = min(start, chunk.dictionary_page_offset)
            starts.append(start)
            ends.append(start + chunk.total_compressed_size)
        ranges.append((min(starts), max(ends), group.num_rows))
    return str(meta.schema.to_arrow_schema()), ranges


def _parquet_fingerprint(path: Path) -> dict[str, Any]:
    schema, ranges = _row_group_ranges(path)
    groups = []
    with path.open("rb") as f:
        for start, end, rows in ranges:
            digest = hashlib.sha256()
            f.seek(start)
            remaining = end - start
            while remaining > 0:
                block = f.read(min(CHUNK, remaining))
                if not block:
                    break
                digest.update(block)
                remaining -= len(block)
            groups.append({"rows": rows, "sha256": digest.hexdigest()})
    return {
        "file": path.name,
        "format": "parquet",
        "size": path.stat().st_size,
        "schema_sha256": hashlib.sha256(schema.encode()).hexdigest(),
        "row_groups": groups,
    }


def unchanged(old: dict[str, Any], new: dict[str, Any]) -> bool:
    keys = ("file", "format", "sha256", "schema_sha256", "row_groups")
    return all(old.get(k) == new.get(k) for k in keys)


def records_kept(old: dict[str, Any], new: dict[str, Any], path: Path) -> int | None:
    """How many leading records of the old file the new one keeps unchanged, when the new file
    only adds records after them; None when the file changed in another way.

    `old` must carry `records`, the number of data records the older file held."""
    if old.get("file") != new.get("file") or old.get("format") != new.get("format"):
        return None
    if new["format"] == "csv":
        return old["records"] if _csv_has_prefix(path, old["size"], old["sha256"]) else None
    if old.get("schema_sha256") != new.get("schema_sha256"):
        return None
    kept = 0
    for before, after in zip(old["row_groups"], new["row_groups"], strict=False):
        if before != after:
            break
        kept += int(before["rows"])
    return kept if kept <= int(old["records"]) else None


def _csv_has_prefix(path: Path, size: int, sha256: str) -> bool:
    """Whether the file's first `size` bytes hash to `sha256` and end a line, so that what
    follows starts a new record."""
    if path.stat().st_size < size or size == 0:
        return False
    digest = hashlib.sha256()
    with path.open("rb") as f:
        remaining = size
        last = b""
        while remaining > 0:
            block = f.read(min(CHUNK, remaining))
            if not block:
                return False
            digest.update(block)
            last = block[-1:]
            remaining -= len(block)
    return digest.hexdigest() == sha256 and last == b"\n"
