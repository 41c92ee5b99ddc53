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
from typing import Any, BinaryIO

import pyarrow.parquet as pq

CHUNK = 8 << 20


def fingerprint(path: Path, prefix: int = 0) -> dict[str, Any]:
    """The file's fingerprint. For a CSV file and `prefix` > 0, it also holds `prefix_sha256`:
    the digest of the first `prefix` bytes when they end a line (else None), taken in the same
    pass, so that a grown file is read once to tell whether it only grew."""
    if path.suffix == ".parquet":
        return _parquet_fingerprint(path)
    size = path.stat().st_size
    with path.open("rb") as f:
        digest, last = _digest(f, prefix if 0 < prefix <= size else 0)
        head = digest.hexdigest() if last == b"\n" else None
        rest, _ = _digest(f, size - f.tell(), digest)
    found = {"file": path.name, "format": "csv", "size": size, "sha256": rest.hexdigest()}
    return (found | {"prefix_sha256": head}) if prefix else found


def _digest(
    f: BinaryIO, length: int, digest: hashlib._Hash | None = None
) -> tuple[hashlib._Hash, bytes]:
    """SHA-256 of the next `length` bytes of `f` (carrying on from `digest`, which is left
    untouched), and the last byte read."""
    digest = digest.copy() if digest is not None else hashlib.sha256()
    last = b""
    while length > 0:
        block = f.read(min(CHUNK, length))
        if not block:
            break
        digest.update(block)
        last = block[-1:]
        length -= len(block)
    return digest, last


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
            f.seek(start)
            digest, _ = _digest(f, end - start)
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


def records_kept(old: dict[str, Any], new: dict[str, Any]) -> int | None:
    """How many leading records of the old file the new one keeps unchanged, when the new file
    only adds records after them; None when the file changed in another way.

    `old` must carry `records`, the number of data records the older file held; a new CSV
    fingerprint must have been taken with `prefix` = the old file's size."""
    if old.get("file") != new.get("file") or old.get("format") != new.get("format"):
        return None
    if new["format"] == "csv":
        return int(old["records"]) if new.get("prefix_sha256") == old["sha256"] else None
    if old.get("schema_sha256") != new.get("schema_sha256"):
        return None
    kept = 0
    for before, after in zip(old["row_groups"], new["row_groups"], strict=False):
        if before != after:
            break
        kept += int(before["rows"])
    return kept if kept <= int(old["records"]) else None
