"""Write a synthetic force to disk: exports in the contract layout, ground truth beside them."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from probity.synth.tables import ForceTables
from probity.warehouse.engine import memory_share

Format = Literal["auto", "csv", "parquet"]
# Tables that run to tens or hundreds of millions of rows go to Parquet in the default layout.
LARGE = ("roster", "building_access", "access_log")
# A force's systems add records as things happen and export them in that order, so a new day's
# records come at the end of each file: the column that dates each table's records. An
# incident's attendance and subjects are recorded with it.
RECORDED = {
    "roster": "duty_date",
    "absences": "start_date",
    "overtime_claims": "submitted_date",
    "expense_claims": "claim_date",
    "building_access": "event_time",
    "access_log": "event_time",
    "incidents": "opened_time",
    "stop_search": "event_time",
    "use_of_force": "event_time",
}
WITH_INCIDENT = ("incident_attendance", "incident_subjects")
ROW_GROUP = 1 << 20  # rows in each Parquet row group of a large table


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

    for name, t in in_recorded_order(force.tables).items():
        write_table(t, exports / f"{name}{suffix(name)}")
        counts[name] = t.num_rows
    for name, stream in force.streams.items():
        path = exports / f"{name}{suffix(name)}"
        if name not in RECORDED:
            counts[name] = write_stream(stream(), path)
            continue
        # Generated person by person: sorted on disk, as it may not fit in memory.
        unsorted = exports / f".{name}.unsorted.parquet"
        if not write_stream(stream(), unsorted):
            counts[name] = 0
            continue
        try:
            counts[name] = write_stream(_sorted(unsorted, RECORDED[name], exports), path)
        finally:
            unsorted.unlink()
    for name, t in force.truth.items():
        pacsv.write_csv(_for_csv(t), truth / f"{name}.csv")
    return counts


def in_recorded_order(tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    """Each table that grows by the day sorted by the time its records were made (a stable
    sort, records with no time last); attendance and subjects in their incident's order."""
    out = dict(tables)
    for name, column in RECORDED.items():
        if name in out:
            out[name] = out[name].sort_by([(column, "ascending")])
    if "incidents" in out:
        refs = out["incidents"]["incident_ref"]
        for name in WITH_INCIDENT:
            if name in out:
                position = pc.index_in(out[name]["incident_ref"], value_set=refs)
                out[name] = out[name].take(pc.sort_indices(position))
    return out


def _sorted(unsorted: Path, column: str, scratch: Path) -> Iterator[pa.RecordBatch]:
    """The Parquet file's rows in `column` order (ties in file order), in row groups of
    ROW_GROUP rows, sorted by DuckDB (spilling to `scratch` beyond memory)."""
    spill = scratch / ".sort-spill"
    # The generated force is still in memory beside the sort: DuckDB gets a quarter of the
    # machine and spills beyond it, rather than its default of 80%.
    con = duckdb.connect(config={"temp_directory": str(spill), "memory_limit": memory_share(0.25)})
    try:
        reader = con.sql(
            f"""SELECT * EXCLUDE (file_row_number)
                FROM read_parquet('{unsorted}', file_row_number = true)
                ORDER BY "{column}", file_row_number"""
        ).to_arrow_reader()
        pending: list[pa.RecordBatch] = []
        rows = 0
        for batch in reader:
            pending.append(batch)
            rows += batch.num_rows
            while rows >= ROW_GROUP:
                table = pa.Table.from_batches(pending)
                yield from table.slice(0, ROW_GROUP).combine_chunks().to_batches()
                rest = table.slice(ROW_GROUP)
                pending, rows = rest.to_batches(), rest.num_rows
        if rows:
            yield from pa.Table.from_batches(pending).combine_chunks().to_batches()
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)
