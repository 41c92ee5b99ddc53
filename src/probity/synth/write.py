"""Write a synthetic force to disk: exports in the contract layout, ground truth beside them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from probity.synth.tables import ForceTables

Format = Literal["auto", "csv", "parquet"]
# Tables that run to tens or hundreds of millions of rows go to Parquet in the default layout.
LARGE = ("roster", "building_access", "access_log")


def default_truth_dir(exports: Path) -> Path:
    return exports.parent / f"{exports.name}-truth"


def _for_csv(batch: pa.RecordBatch | pa.Table) -> pa.Table:
    """Contract CSV: timestamps as YYYY-MM-DDTHH:MM:SS, dictionaries decoded."""
    t = batch if isinstance(batch, pa.Table) else pa.Table.from_batches([batch])
    cols = []
    for name in t.column_names:
        col = t[name]
        if pa.types.is_dictionary(col.type):
            col = col.cast(col.type.value_type)
        if pa.types.is_timestamp(col.type):
            col = pc.strftime(col, format="%Y-%m-%dT%H:%M:%S")
        cols.append(col)
    return pa.table(dict(zip(t.column_names, cols, strict=True)))


def write_table(table: pa.Table, path: Path) -> None:
    if path.suffix == ".csv":
        pacsv.write_csv(_for_csv(table), path)
    else:
        pq.write_table(table, path)


def write_stream(batches: Iterator[pa.RecordBatch], path: Path) -> int:
    rows = 0
    writer: pq.ParquetWriter | pacsv.CSVWriter | None = None
    schema: pa.Schema | None = None
    try:
        for batch in batches:
            if path.suffix == ".csv":
                t = _for_csv(batch)
                if writer is None:
                    writer = pacsv.CSVWriter(path, t.schema)
                writer.write_table(t)
            else:
                if schema is None:
                    schema = batch.schema
                    writer = pq.ParquetWriter(path, schema, compression="zstd")
                assert isinstance(writer, pq.ParquetWriter)
                writer.write_table(pa.Table.from_batches([batch]).cast(schema))
            rows += batch.num_rows
    finally:
        if writer is not None:
            writer.close()
    return rows


def write_force(
    force: ForceTables, exports: Path, truth: Path, fmt: Format = "auto"
) -> dict[str, int]:
    exports.mkdir(parents=True, exist_ok=True)
    truth.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}

    def suffix(name: str) -> str:
        if fmt == "auto":
            return ".parquet" if name in LARGE else ".csv"
        return f".{fmt}"

    for name, t in force.tables.items():
        write_table(t, exports / f"{name}{suffix(name)}")
        counts[name] = t.num_rows
    for name, stream in force.streams.items():
        counts[name] = write_stream(stream(), exports / f"{name}{suffix(name)}")
    for name, t in force.truth.items():
        pacsv.write_csv(_for_csv(t), truth / f"{name}.csv")
    return counts
