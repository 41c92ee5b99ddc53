"""Load every source table into the warehouse: typed, validated, with lineage, and counted.

For each table: rows read = rows loaded + rows quarantined. Loaded rows carry `_source_file`
and `_source_row` (the 1-based data record number, header excluded); quarantined rows go to
the `quarantine` table with every reason found and the record as it was read.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from probity.contract import TABLES
from probity.ingest.errors import SourceFileError
from probity.ingest.incremental import Fingerprints, Planner, PreviousIngest, TablePlan
from probity.ingest.sources import Source, check_csv, check_parquet, find_sources
from probity.ingest.validate import (
    ReferenceCheck,
    duplicate_check,
    lit,
    parent_keys,
    prior_keys,
    q,
    row_checks,
    typed,
)
from probity.warehouse.engine import Engine

MALFORMED = "malformed CSV record"


@dataclass
class TableCounts:
    table: str
    file: str
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    quarantine_reasons: dict[str, int] = field(default_factory=dict)
    extra_columns: list[str] = field(default_factory=list)
    # Optional contract columns the file lacks, each with what that disables (`Column.feeds`).
    missing_columns: dict[str, str] = field(default_factory=dict)
    # Of the records read again (after the first `kept`), those loaded last time that are no
    # longer there as they were (`load_table`).
    records_changed: int = 0


@dataclass
class IngestResult:
    tables: dict[str, TableCounts]
    unknown_files: list[str]
    absent_tables: list[str]
    plans: dict[str, TablePlan] = field(default_factory=dict)

    def inputs(self) -> dict[str, dict[str, object]]:
        """Each table's source fingerprint and record count, for the next run to compare."""
        return {
            name: {**plan.fingerprint, "records": self.tables[name].rows_read}
            for name, plan in self.plans.items()
        }


QUARANTINE_DDL = """CREATE TABLE IF NOT EXISTS quarantine (
    table_name VARCHAR, source_file VARCHAR, source_row BIGINT, reason VARCHAR,
    reasons VARCHAR, record VARCHAR)"""


def _raw_view(engine: Engine, source: Source, kept: int, tail: Path | None) -> int:
    """`_raw`: the file as read (from record `kept + 1` on), with `_source_row`; malformed CSV
    records quarantined. Returns how many were. `tail` is a CSV holding the header and the
    records after the kept ones."""
    name = source.spec.name
    if source.format == "parquet":
        # Parquet is typed and quick to scan twice, so it is read in place: one copy is written.
        engine.read_parquet("_raw", source.path, skip_rows=kept)
        return 0
    engine.read_csv_as_text("_raw_table", tail or source.path)
    rejects = engine.csv_rejects()
    # Record number = line - 1 (header); record numbers of good rows skip the rejected ones.
    engine.execute("CREATE OR REPLACE TABLE _rejects (rec BIGINT, i BIGINT, message VARCHAR)")
    for i, (line, message) in enumerate(rejects, start=1):
        engine.execute("INSERT INTO _rejects VALUES (?, ?, ?)", [line - 1, i, message])
        engine.execute(
            "INSERT INTO quarantine VALUES (?, ?, ?, ?, ?, NULL)",
            [name, source.path.name, kept + line - 1, MALFORMED, f"{MALFORMED}: {message}"],
        )
    if rejects:
        engine.execute(
            f"""CREATE OR REPLACE VIEW _raw AS SELECT r.*, {kept} + (r.rowid + 1) + coalesce(j.i, 0) AS _source_row
               FROM _raw_table r ASOF LEFT JOIN (SELECT rec - i AS key, i FROM _rejects) j ON (r.rowid + 1) > j.key"""
        )
    else:
        engine.execute(
            f"CREATE OR REPLACE VIEW _raw AS SELECT *, {kept} + rowid + 1 AS _source_row FROM _raw_table"
        )
    return len(rejects)


def _csv_tail(source: Source, kept_bytes: int, folder: Path) -> Path:
    """A CSV of the header and every byte after the first `kept_bytes` of the source."""
    tail = folder / f"{source.spec.name}.tail.csv"
    with source.path.open("rb") as src, tail.open("wb") as out:
        out.write(src.readline())
        src.seek(kept_bytes)
        shutil.copyfileobj(src, out, 16 << 20)
    return tail


def check_source(source: Source) -> list[str]:
    """The header of a usable file, or a SourceFileError saying why it is not usable."""
    return check_csv(source) if source.format == "csv" else check_parquet(source)


def load_table(
    engine: Engine,
    source: Source,
    header: list[str],
    loaded: set[str],
    kept: int = 0,
    tail: Path | None = None,
) -> TableCounts:
    """Load the table, or with `kept` > 0 only its records after the first `kept` (which are
    already in the warehouse and stay as they are)."""
    spec = source.spec
    table = q(spec.name)
    if kept:
        # The records read again (a Parquet row group cut short) are expected to be those loaded
        # last time with more after them: each one's hash, to tell afterwards.
        engine.execute(f"CREATE OR REPLACE TEMP TABLE _reread AS {_row_hashes(table, kept)}")
        engine.execute(f"DELETE FROM {table} WHERE _source_row > {kept}")
        engine.execute(
            f"DELETE FROM quarantine WHERE table_name = {lit(spec.name)} AND source_row > {kept}"
        )
    else:
        engine.execute(f"DELETE FROM quarantine WHERE table_name = {lit(spec.name)}")
    malformed = _raw_view(engine, source, kept, tail)
    raw_types = {c: t for c, t in engine.columns("_raw") if c != "_source_row"}
    contract_names = set(spec.column_names)
    extras = [h for h in header if h not in contract_names]

    select = [f"{typed(c, raw_types.get(c.name))} AS {q(c.name)}" for c in spec.columns]
    select += [q(e) for e in extras]
    checks = [chk for c in spec.columns for chk in row_checks(c, raw_types.get(c.name))]
    # `_row_problem` (the first reason, or NULL) is all the load needs to know; the list of
    # every reason and the record as read are only built for quarantined rows, in a second
    # pass over them alone.
    engine.execute(
        f"""CREATE OR REPLACE TEMP VIEW _checked AS SELECT {", ".join(select)}, _source_row,
            {_first_reason(checks)} AS _row_problem, {_reason_list(checks)} AS _row_reasons,
            to_json(_raw)::VARCHAR AS _record FROM _raw"""
    )
    later = [
        ReferenceCheck(r, parent_keys(r)).expression()
        for r in spec.references
        if r.table in loaded and raw_types.get(r.column) is not None
    ]
    prior = None
    if kept and spec.key:  # keys of the records kept, that new ones repeat
        prior = "_prior_keys"
        # The new keys are made a table first: over the checks' view, the planner cannot tell
        # they are few and hashes the tens of millions of loaded records instead.
        keys = ", ".join(q(k) for k in spec.key)
        engine.execute(
            f"CREATE OR REPLACE TEMP TABLE _new_keys AS SELECT DISTINCT {keys} FROM _checked"
        )
        engine.execute(
            f"CREATE OR REPLACE TEMP TABLE {prior} AS {prior_keys(spec, table, kept, '_new_keys')}"
        )
    dup = duplicate_check(spec, prior)
    if dup:
        later.insert(0, dup)
    engine.execute(
        f"""CREATE OR REPLACE TEMP VIEW _final AS SELECT * EXCLUDE (_row_problem, _row_reasons),
            coalesce(_row_problem, {_first_reason(later)}) AS _problem,
            list_concat(_row_reasons, {_reason_list(later)}) AS _reasons FROM _checked"""
    )
    keep = ", ".join([q(c) for c in spec.column_names] + [q(e) for e in extras])
    rows = f"""SELECT {keep}, {lit(source.path.name)} AS _source_file, _source_row,
               _problem IS NOT NULL AS _quarantined FROM _final"""
    if kept:  # in record order, as a full load would have written them
        engine.execute(f"ALTER TABLE {table} ADD COLUMN _quarantined BOOLEAN")
        engine.execute(f"INSERT INTO {table} BY NAME {rows} ORDER BY _source_row")
    else:
        engine.execute(f"CREATE OR REPLACE TABLE {table} AS {rows}")
    if engine.fetch(f"SELECT count(*) FROM {table} WHERE _quarantined")[0][0]:
        # The checks give the same answers again, now for the quarantined rows alone.
        engine.execute(
            f"""INSERT INTO quarantine SELECT {lit(spec.name)}, {lit(source.path.name)},
                _source_row, _reasons[1], array_to_string(_reasons, '; '), _record FROM _final
                WHERE _source_row IN (SELECT _source_row FROM {table} WHERE _quarantined)"""
        )
        engine.execute(f"DELETE FROM {table} WHERE _quarantined")
    engine.execute(f"ALTER TABLE {table} DROP COLUMN _quarantined")  # a change of catalogue only
    missing = {c.name: c.feeds for c in spec.columns if c.name not in header}
    counts = TableCounts(spec.name, source.path.name, extra_columns=extras, missing_columns=missing)
    if kept:
        counts.records_changed = int(
            engine.fetch(
                f"SELECT count(*) FROM _reread ANTI JOIN ({_row_hashes(table, kept)}) USING (_source_row, h)"
            )[0][0]
        )
    counts.rows_loaded = int(engine.fetch(f"SELECT count(*) FROM {table}")[0][0])
    for reason, n in engine.fetch(
        "SELECT reason, count(*) FROM quarantine WHERE table_name = ? GROUP BY reason ORDER BY 2 DESC",
        [spec.name],
    ):
        counts.quarantine_reasons[str(reason)] = int(n)
    counts.rows_quarantined = sum(counts.quarantine_reasons.values())
    # Malformed CSV records never reached the table, so they are added to what was read.
    counts.rows_read = kept + int(engine.fetch("SELECT count(*) FROM _raw")[0][0]) + malformed
    for view in ("_final", "_checked", "_raw"):
        engine.execute(f"DROP VIEW IF EXISTS {view}")
    for temp in ("_raw_table", "_rejects", "_new_keys", "_prior_keys", "_reread"):
        engine.execute(f"DROP TABLE IF EXISTS {temp}")
    return counts


def _row_hashes(table: str, kept: int) -> str:
    """SQL: each record after the first `kept` of `table`, by `_source_row`, and a hash of its
    whole row. Filtered before the row is taken whole, so that the earlier records are skipped
    unread."""
    return f"SELECT _source_row, hash(t) AS h FROM (FROM {table} WHERE _source_row > {kept}) t"


def _first_reason(checks: list[str]) -> str:
    """SQL: the first of `checks` (each a reason or NULL) that gives a reason, else NULL."""
    return f"coalesce({', '.join(checks)})" if checks else "CAST(NULL AS VARCHAR)"


def _reason_list(checks: list[str]) -> str:
    """SQL: every reason `checks` give, in order."""
    if not checks:
        return "[]::VARCHAR[]"
    return f"list_filter([{', '.join(checks)}]::VARCHAR[], lambda x: x IS NOT NULL)"


def _empty_table(engine: Engine, name: str) -> None:
    """Absent optional tables exist empty, so views over them still resolve."""
    from probity.contract import table_spec
    from probity.ingest.validate import SQL_TYPES

    spec = table_spec(name)
    cols = ", ".join(f"{q(c.name)} {SQL_TYPES[c.type]}" for c in spec.columns)
    engine.execute(
        f"CREATE OR REPLACE TABLE {q(name)} ({cols}, _source_file VARCHAR, _source_row BIGINT)"
    )


def ingest(
    engine: Engine,
    folder: Path,
    progress: Callable[[str], None] = lambda _: None,
    previous: PreviousIngest | None = None,
    fingerprints: Fingerprints | None = None,
) -> IngestResult:
    """Load every table of the exports folder. With `previous` (the warehouse holds that run's
    source tables), a table is kept, extended or read again as its plan says. `fingerprints`:
    the files' fingerprints, when taking them started earlier (else each is taken as its table
    is planned)."""
    sources, unknown = find_sources(folder)
    engine.execute(QUARANTINE_DDL)
    counts: dict[str, TableCounts] = {}
    plans: dict[str, TablePlan] = {}
    loaded: set[str] = set()
    planner = Planner(engine, previous, fingerprints)
    try:
        with tempfile.TemporaryDirectory(prefix="probity-ingest-") as scratch:
            for source in sources:
                name = source.spec.name
                progress(name)
                try:
                    header = check_source(source)
                    plan = plans[name] = planner.plan(source)
                    if plan.mode == "unchanged" and previous is not None:
                        counts[name] = TableCounts(table=name, **previous.tables[name])
                    else:
                        kept = plan.kept if plan.mode == "appended" else 0
                        tail = (
                            _csv_tail(source, int(previous.inputs[name]["size"]), Path(scratch))
                            if kept and previous is not None and source.format == "csv"
                            else None
                        )
                        counts[name] = load_table(engine, source, header, loaded, kept, tail)
                        if counts[name].records_changed:
                            plans[name] = replace(plan, mode="tail_changed")
                except SourceFileError:
                    raise
                except Exception as e:  # an engine error on a file we could not catch beforehand
                    raise SourceFileError(source.path, f"could not be read: {e}") from e
                loaded.add(name)
    finally:
        if fingerprints is not None:
            fingerprints.cancel()
    planner.forget()
    absent = [t.name for t in TABLES if t.name not in loaded]
    for name in absent:
        _empty_table(engine, name)
        engine.execute(f"DELETE FROM quarantine WHERE table_name = {lit(name)}")
    return IngestResult(counts, unknown, absent, plans)
