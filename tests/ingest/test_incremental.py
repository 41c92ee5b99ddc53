"""An incremental run, given a day's new records, publishes exactly what a full run would.

Yesterday's exports are today's cut short: the last records of the event tables are missing,
Parquet files lose rows part-way through a row group, and one person's HR record was edited in
the middle of the file. Today's also end with a malformed record and a repeated claim id, and
one system account that has look-ups is gone.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from probity.contract import TABLES
from probity.governance.pseudonyms import KEY_FILE
from probity.ingest.fingerprint import fingerprint
from probity.ingest.incremental import Fingerprints, previous_ingest
from probity.ingest.sources import find_sources
from probity.pipeline import run_pipeline
from probity.publish.workspace import Workspace
from probity.synth.force import SynthSpec, build_force
from probity.synth.tables import force_tables
from probity.synth.write import default_truth_dir, write_force
from tests.test_cli import probity

ROW_GROUP = 2000
# Event tables whose last records arrive "today".
GROWING_CSV = (
    "overtime_claims",
    "expense_claims",
    "incidents",
    "incident_attendance",
    "stop_search",
)
GROWING_PARQUET = ("roster", "building_access", "access_log")
RESULTS = ("quarantine", "links", "signals", "evidence", "queue", "person_dim")


def _lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


@pytest.fixture(scope="module")
def days(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("days")
    today = root / "today"
    write_force(force_tables(build_force(SynthSpec(300, 1, 23))), today, default_truth_dir(today))
    yesterday = root / "yesterday"
    shutil.copytree(today, yesterday)

    for name in GROWING_PARQUET:
        table = pq.read_table(today / f"{name}.parquet")
        pq.write_table(table, today / f"{name}.parquet", row_group_size=ROW_GROUP)
        cut = table.num_rows - table.num_rows // 50 - ROW_GROUP // 3  # mid-group
        pq.write_table(table.slice(0, cut), yesterday / f"{name}.parquet", row_group_size=ROW_GROUP)
    for name in GROWING_CSV:
        lines = _lines(today / f"{name}.csv")
        (yesterday / f"{name}.csv").write_bytes(b"".join(lines[: len(lines) - len(lines) // 50]))

    claims = _lines(today / "expense_claims.csv")
    (today / "expense_claims.csv").write_bytes(
        b"".join(claims) + claims[1] + b'"X1","only","three"\n'  # a repeated id, a malformed record
    )
    people = _lines(today / "people.csv")
    header = next(csv.reader([people[0].decode()]))
    middle = len(people) // 2
    record = next(csv.reader([people[middle].decode()]))
    record[header.index("home_address")] = "1 New Road"
    line = io.StringIO()
    csv.writer(line, lineterminator="\n").writerow(record)
    people[middle] = line.getvalue().encode()
    (today / "people.csv").write_bytes(b"".join(people))
    # One system account is gone today: its look-ups now dangle, so the audit log is re-read.
    accounts = _lines(today / "system_accounts.csv")
    (today / "system_accounts.csv").write_bytes(b"".join(accounts[:-2] + accounts[-1:]))
    return yesterday, today


def _snapshot(workspace: Path) -> dict[str, Any]:
    ws = Workspace(workspace)
    con = duckdb.connect(str(ws.warehouse(ws.require_current())), read_only=True)
    try:
        out: dict[str, Any] = {}
        for t in TABLES:  # source tables: count and an order-free checksum of whole rows
            out[t.name] = con.execute(
                f'SELECT count(*), bit_xor(hash(x)), sum(hash(x)::HUGEINT) FROM "{t.name}" x'
            ).fetchall()
        for name in RESULTS:
            out[name] = con.execute(f'SELECT * FROM "{name}" ORDER BY ALL').fetchall()
        return out
    finally:
        con.close()


def test_incremental_run_equals_full_run(days: tuple[Path, Path], tmp_path: Path) -> None:
    yesterday, today = days
    full = run_pipeline(today, tmp_path / "full", incremental=False)
    (tmp_path / "daily").mkdir()  # the same pseudonym key, so that ties rank alike
    shutil.copy(tmp_path / "full" / KEY_FILE, tmp_path / "daily" / KEY_FILE)
    run_pipeline(yesterday, tmp_path / "daily")
    daily = run_pipeline(today, tmp_path / "daily")

    plans = daily["ingest"]["tables"]
    assert daily["ingest"]["previous_run"] is not None
    assert plans["units"] == "unchanged"
    assert plans["people"] == "read in full"  # edited in the middle
    assert plans["expense_claims"].startswith("appended after record")
    badges = daily["inputs"]["building_access"]
    kept = int(plans["building_access"].split()[-1].replace(",", ""))
    assert 0 < kept < badges["records"] and kept % ROW_GROUP == 0  # from the changed group on
    assert plans["system_accounts"] == "read in full"
    assert plans["access_log"] == "read in full"  # an account it references was removed
    assert "dangling reference" in " ".join(daily["tables"]["access_log"]["quarantine_reasons"])

    assert daily["tables"] == full["tables"]
    assert daily["warehouse"]["grown"]["duty_intervals"].startswith("rows of roster records")
    reasons = daily["tables"]["expense_claims"]["quarantine_reasons"]
    assert reasons.get("duplicate key (claim_id)") == 1
    assert reasons.get("malformed CSV record") == 1
    for table in daily["tables"].values():
        assert table["rows_read"] == table["rows_loaded"] + table["rows_quarantined"]
    assert [s for s in full["detectors"].values() if s["status"] == "ran"]
    a, b = _snapshot(tmp_path / "daily"), _snapshot(tmp_path / "full")
    for name in a:
        assert a[name] == b[name], name
    assert len(a["signals"]) > 0 and len(a["quarantine"]) > 0
    shifts = "SELECT * FROM duty_intervals ORDER BY ALL"
    assert _table(tmp_path / "daily", shifts) == _table(tmp_path / "full", shifts)


def test_shifts_are_found_again_in_full_when_a_warrant_number_changed(
    days: tuple[Path, Path], tmp_path: Path
) -> None:
    """A roster record may name a person by warrant number: when one changes, the shifts kept
    from the last run may be someone else's, so the table is built again."""
    yesterday, today = days
    (tmp_path / "daily").mkdir()
    run_pipeline(yesterday, tmp_path / "daily")
    grown = _grown(yesterday, today, tmp_path / "grown")
    people = _lines(grown / "people.csv")
    header = next(csv.reader([people[0].decode()]))
    column = header.index("warrant_number")
    at = next(
        i for i, line in enumerate(people[1:], 1) if next(csv.reader([line.decode()]))[column]
    )
    record = next(csv.reader([people[at].decode()]))
    record[column] = "W" + record[column]
    line = io.StringIO()
    csv.writer(line, lineterminator="\n").writerow(record)
    people[at] = line.getvalue().encode()
    (grown / "people.csv").write_bytes(b"".join(people))

    daily = _daily_and_full(grown, tmp_path)
    # (the roster names people, so ingest reads it again too; either reason builds it in full)
    assert daily["warehouse"]["grown"]["duty_intervals"] in (
        "built in full: roster was read in full",
        "built in full: person_refs changed",
    )
    shifts = "SELECT * FROM duty_intervals ORDER BY ALL"
    assert _table(tmp_path / "daily", shifts) == _table(tmp_path / "full", shifts)


def test_rerun_of_unchanged_exports_reads_nothing_again(
    days: tuple[Path, Path], tmp_path: Path
) -> None:
    _, today = days
    first = run_pipeline(today, tmp_path / "ws")
    links_then = _links(tmp_path / "ws")
    second = run_pipeline(today, tmp_path / "ws")
    dangling = {
        name
        for name, t in first["tables"].items()
        if any(r.startswith("dangling reference") for r in t["quarantine_reasons"])
    }
    assert dangling == {"access_log"}  # a key added since could satisfy them: read again
    assert {n for n, plan in second["ingest"]["tables"].items() if plan != "unchanged"} == dangling
    assert second["tables"] == first["tables"]
    assert _snapshot(tmp_path / "ws")["signals"]
    # No linkage task reads the audit log: every one keeps the first run's links.
    assert {t["status"] for t in second["identities"].values()} == {"reused"}
    assert _links(tmp_path / "ws") == links_then


def test_daily_run_keeps_the_links_of_tasks_whose_inputs_did_not_change(
    days: tuple[Path, Path], tmp_path: Path
) -> None:
    """Only event tables grow, by records dated after every complaint: the tasks reading none
    of them keep yesterday's links, and so does the one that reads the roster and attendance
    (on complaints' incident dates only); the result is a full run's."""
    yesterday, today = days
    grown = _grown(yesterday, today, tmp_path / "grown")
    full = run_pipeline(grown, tmp_path / "full", incremental=False)
    (tmp_path / "daily").mkdir()  # the same pseudonym key, so that ties rank alike
    shutil.copy(tmp_path / "full" / KEY_FILE, tmp_path / "daily" / KEY_FILE)
    run_pipeline(yesterday, tmp_path / "daily")
    daily = run_pipeline(grown, tmp_path / "daily")

    status = {name: t["status"] for name, t in daily["identities"].items()}
    assert set(status.values()) == {"reused"}
    for name, t in daily["identities"].items():
        assert {k: v for k, v in t.items() if k not in ("status", "seconds", "reason")} == {
            k: v for k, v in full["identities"][name].items() if k not in ("status", "seconds")
        }, name
    assert _links(tmp_path / "daily") == _links(tmp_path / "full")
    a, b = _snapshot(tmp_path / "daily"), _snapshot(tmp_path / "full")
    for name in a:
        assert a[name] == b[name], name


def _links(workspace: Path) -> dict[str, list[tuple[Any, ...]]]:
    """The current run's links and review candidates, in a fixed order."""
    return {
        t: _table(workspace, f"SELECT * FROM {t} ORDER BY ALL")
        for t in ("links", "link_candidates")
    }


def test_cli_run_says_what_it_reused_and_full_reads_everything(
    days: tuple[Path, Path], tmp_path: Path
) -> None:
    _, today = days
    ws = tmp_path / "ws"
    probity("run", today, "--workspace", ws)
    again = probity("run", today, "--workspace", ws)
    assert "unchanged" in again.stdout and "taken from run" in again.stdout
    assert "as in the last run" in again.stdout  # linkage tasks whose tables did not change
    # The audit log was read in full (its dangling look-ups), so no evidence is carried over.
    assert "found in full: access_log was read in full" in again.stdout
    probity("run", today, "--workspace", ws, "--full")
    report = json.loads(probity("report", "--workspace", ws, "--format", "json").stdout)
    assert report["ingest"]["previous_run"] is None
    assert set(report["ingest"]["tables"].values()) == {"read in full"}


def test_a_run_loaded_by_another_duckdb_release_is_not_reused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Casting and date parsing are DuckDB's: another release may quarantine other rows."""
    from probity.ingest.incremental import ingest_signature

    report = {"status": "succeeded", "run_id": "r1", "inputs": {}, "tables": {}}
    report["ingest_signature"] = ingest_signature()
    assert previous_ingest(report) is not None
    monkeypatch.setattr(duckdb, "__version__", "0.0.1")
    assert ingest_signature() != report["ingest_signature"]
    assert previous_ingest(report) is None


def _grown(yesterday: Path, today: Path, folder: Path) -> Path:
    """Yesterday's exports with today's event tables: only records at their ends are new."""
    shutil.copytree(yesterday, folder)
    for name in GROWING_PARQUET:
        shutil.copy(today / f"{name}.parquet", folder / f"{name}.parquet")
    for name in GROWING_CSV:
        shutil.copy(today / f"{name}.csv", folder / f"{name}.csv")
    return folder


def _table(workspace: Path, sql: str) -> list[tuple[Any, ...]]:
    ws = Workspace(workspace)
    con = duckdb.connect(str(ws.warehouse(ws.require_current())), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _daily_and_full(exports: Path, tmp_path: Path) -> dict[str, Any]:
    """Run `exports` daily in `tmp_path/daily` (after its earlier run) and in full in
    `tmp_path/full` with the same pseudonym key; returns the daily run's report."""
    daily = run_pipeline(exports, tmp_path / "daily")
    (tmp_path / "full").mkdir()
    shutil.copy(tmp_path / "daily" / KEY_FILE, tmp_path / "full" / KEY_FILE)
    run_pipeline(exports, tmp_path / "full", incremental=False)
    return daily


def test_daily_run_carries_evidence_of_days_no_new_record_touches(
    days: tuple[Path, Path], tmp_path: Path
) -> None:
    """A look-up made weeks ago arrives today, on a day yesterday's run found a silent shift:
    the evidence of every day before it is carried over, that shift is no longer silent, and
    the result is a full run's."""
    yesterday, today = days
    (tmp_path / "daily").mkdir()
    run_pipeline(yesterday, tmp_path / "daily")
    kept = "day_evidence__rostered_no_activity"
    silent = _table(
        tmp_path / "daily",
        f"""SELECT e.person_key, CAST(e.occurred_at AS DATE) AS day, min(a.account_id)
            FROM {kept} e JOIN account_person a USING (person_key)
            GROUP BY ALL ORDER BY day LIMIT 1 OFFSET 10""",
    )
    person, day, account = silent[0]
    # An overtime claim yesterday found nothing to corroborate, some days after that shift.
    bare_claim, claimed_from, claim_account = _table(
        tmp_path / "daily",
        f"""SELECT o._source_row, o.start_time, min(a.account_id)
            FROM day_evidence__uncorroborated_overtime e
            JOIN overtime_claims o ON o._source_row = e.source_row
            JOIN account_person a USING (person_key)
            WHERE o.work_date > DATE '{day}'
            GROUP BY o._source_row, o.start_time, o.work_date ORDER BY o.work_date LIMIT 1""",
    )[0]
    looked = "SELECT * FROM kept_lookups__watched_lookups ORDER BY ALL"
    why = (
        "SELECT _source_row, kind, person_key, tie, incident_ref FROM kept_lookups__watched_lookups"
    )
    looked_before = _table(tmp_path / "daily", why)

    # Someone the person looked up long ago, declared today as their relative: a tie added to
    # records kept from yesterday's run.
    person_key, surname, born = _table(
        tmp_path / "daily",
        """SELECT a.person_key, s.surname, s.date_of_birth FROM access_log l
           JOIN account_person a USING (account_id) JOIN record_subjects s USING (subject_id)
           WHERE l.subject_kind = 'person' AND s.surname IS NOT NULL
             AND s.date_of_birth IS NOT NULL AND NOT EXISTS (
               SELECT 1 FROM kept_keys__watched_lookups k
               WHERE k.account_id = l.account_id AND k.subject_id = l.subject_id)
           ORDER BY l._source_row LIMIT 1""",
    )[0]

    grown = _grown(yesterday, today, tmp_path / "grown")
    kin = _lines(grown / "next_of_kin.csv")
    columns = next(csv.reader([kin[0].decode()]))
    relative = {"person_id": person_key, "surname": surname, "relationship": "sibling"}
    relative["date_of_birth"] = born.isoformat()
    line = io.StringIO()
    csv.writer(line, lineterminator="\n").writerow([relative.get(c, "") for c in columns])
    (grown / "next_of_kin.csv").write_bytes(b"".join(kin) + line.getvalue().encode())
    log = pq.read_table(grown / "access_log.parquet")
    late = log.slice(0, 1).to_pylist()[0]
    late.update(account_id=account, event_time=datetime.combine(day, time(12)))
    # and a look-up in that claim's hours, arriving late: the claim is corroborated now.
    corroborating = {**late, "account_id": claim_account, "event_time": claimed_from}
    log = pa.concat_tables([log, pa.Table.from_pylist([late, corroborating], schema=log.schema)])
    pq.write_table(log, grown / "access_log.parquet", row_group_size=ROW_GROUP)
    # And a late overtime claim for a Wednesday weeks back: weekly hours are found again from
    # the Monday of its week, which the claim's own day would miss.
    claims = _lines(grown / "overtime_claims.csv")
    header = next(csv.reader([claims[0].decode()]))
    claim = next(csv.reader([claims[-1].decode()]))
    worked = day - timedelta(days=day.weekday() - 2, weeks=3)
    claim[header.index("claim_id")] += "L"
    claim[header.index("work_date")] = worked.isoformat()
    claim[header.index("start_time")] = f"{worked.isoformat()}T08:00:00"
    claim[header.index("end_time")] = f"{worked.isoformat()}T20:00:00"
    claim[header.index("hours")] = "12"
    line = io.StringIO()
    csv.writer(line, lineterminator="\n").writerow(claim)
    (grown / "overtime_claims.csv").write_bytes(b"".join(claims) + line.getvalue().encode())

    daily = _daily_and_full(grown, tmp_path)

    hours = daily["detectors"]["sustained_hours"]["carried"]
    assert hours.startswith(f"evidence before {worked - timedelta(days=6)} kept from run ")
    weeks = "SELECT * FROM day_evidence__sustained_hours ORDER BY ALL"
    assert _table(tmp_path / "daily", weeks) == _table(tmp_path / "full", weeks)
    # Uncorroborated overtime: found again from the day before the late claim's, and the
    # claim the late look-up falls in is no longer evidence.
    overtime = daily["detectors"]["uncorroborated_overtime"]["carried"]
    assert overtime.startswith(f"evidence before {worked - timedelta(days=1)} kept from run ")
    bare = "SELECT * FROM day_evidence__uncorroborated_overtime ORDER BY ALL"
    assert _table(tmp_path / "daily", bare) == _table(tmp_path / "full", bare)
    assert bare_claim not in {
        row
        for (row,) in _table(
            tmp_path / "daily", "SELECT source_row FROM day_evidence__uncorroborated_overtime"
        )
    }
    carried = daily["detectors"]["rostered_no_activity"]["carried"]
    assert carried.startswith("evidence before ") and "kept from run" in carried
    since = date.fromisoformat(carried.removeprefix("evidence before ")[:10])
    assert day - timedelta(days=1) == since  # the late look-up's day, less the night before
    whole = f"SELECT * FROM {kept} ORDER BY ALL"
    assert _table(tmp_path / "daily", whole) == _table(tmp_path / "full", whole)
    # Look-ups on absent days: the rows before the late look-up's day are kept, and whether
    # each had a purpose is decided again from all of them (today's incidents may give one).
    absent = daily["detectors"]["lookups_while_absent"]["carried"]
    assert absent == carried.replace(str(since), str(day))
    rows = "SELECT * FROM day_evidence__lookups_while_absent ORDER BY ALL"
    assert _table(tmp_path / "daily", rows) == _table(tmp_path / "full", rows)
    # Shifts worked: the last run's, less the rows of the roster records read again (from the
    # group cut short), plus the rows of the records from there on.
    grown_note = daily["warehouse"]["grown"]["duty_intervals"]
    assert grown_note.startswith("rows of roster records after ") and "added to run" in grown_note
    shifts = "SELECT * FROM duty_intervals ORDER BY ALL"
    assert _table(tmp_path / "daily", shifts) == _table(tmp_path / "full", shifts)
    # The audit log's monthly counts: kept for months before the late look-up's.
    counted = daily["warehouse"]["log_months"]["counted"]
    assert counted.startswith(f"months before {day.replace(day=1).isoformat()} kept from run ")
    for table in ("log_months", "person_month_events"):
        rows = f"SELECT * FROM {table} ORDER BY ALL"
        assert _table(tmp_path / "daily", rows) == _table(tmp_path / "full", rows), table
    # The records kept are looked through again for the added ties only: the relative, but
    # not the victims of the new incidents (met on duty), whose look-ups count only after the
    # incident closed, after every record kept.
    note = daily["shared_lookups"]["carried"]["watched_lookups"]
    assert note.startswith("look-ups in audit-log records 1–") and " added keys" in note
    assert note.endswith(" more begin after the last of them)")
    kept_records = int(
        note.removeprefix("look-ups in audit-log records 1–").split()[0].replace(",", "")
    )
    assert _table(tmp_path / "daily", looked) == _table(tmp_path / "full", looked)
    newly_tied = set(_table(tmp_path / "full", why)) - set(looked_before)
    assert {tie for row, _, _, tie, _ in newly_tied if row <= kept_records} == {"relative"}
    assert (person, day) not in {
        (p, d)
        for p, d in _table(
            tmp_path / "daily", f"SELECT person_key, CAST(occurred_at AS DATE) FROM {kept}"
        )
    }
    a, b = _snapshot(tmp_path / "daily"), _snapshot(tmp_path / "full")
    for name in a:
        assert a[name] == b[name], name


def _redate(exports: Path, name: str, column: str) -> None:
    """Move the second record of the last row group of `exports`' Parquet file 40 days back."""
    table = pq.read_table(exports / f"{name}.parquet")
    at = (table.num_rows - 1) // ROW_GROUP * ROW_GROUP + 1
    assert at < table.num_rows
    times = table.column(column).to_pylist()
    times[at] -= timedelta(days=40)
    field = table.schema.get_field_index(column)
    table = table.set_column(field, column, pa.array(times, table.schema.field(column).type))
    pq.write_table(table, exports / f"{name}.parquet", row_group_size=ROW_GROUP)


def test_nothing_is_carried_by_day_when_records_read_again_changed(
    days: tuple[Path, Path], tmp_path: Path
) -> None:
    """The last row group of a Parquet file is read again each day. A record of it loaded
    yesterday 40 days back comes back today with its own, later time: the table is still what
    a full load gives, but the new records' days no longer reach the day it left, whose
    evidence and counts would be kept as they were. So the evidence carried by day and the
    monthly counts are found again in full, and the result is a full run's."""
    yesterday, today = days
    earlier = tmp_path / "yesterday"
    shutil.copytree(yesterday, earlier)
    _redate(earlier, "building_access", "event_time")
    _redate(earlier, "access_log", "event_time")
    (tmp_path / "daily").mkdir()
    run_pipeline(earlier, tmp_path / "daily")

    daily = _daily_and_full(_grown(yesterday, today, tmp_path / "grown"), tmp_path)

    differ = "read again differ from those loaded last time"
    plans = daily["ingest"]["tables"]
    for name in ("building_access", "access_log"):
        assert plans[name].startswith("appended after record ") and plans[name].endswith(
            f"records {differ}"
        )
    assert plans["roster"].startswith("appended after record ") and differ not in plans["roster"]
    for detector in ("rostered_no_activity", "uncorroborated_overtime"):
        carried = daily["detectors"][detector]["carried"]
        assert carried == f"found in full: records of building_access {differ}"
    counted = daily["warehouse"]["log_months"]["counted"]
    assert counted == f"counted in full: records of access_log {differ}"
    assert _snapshot(tmp_path / "daily") == _snapshot(tmp_path / "full")


def test_daily_run_keeps_the_shared_lookups_of_the_records_it_kept(tmp_path: Path) -> None:
    """Only the audit log grew, by a look-up of a flagged record and one of someone tied to
    the person: the last run's shared look-ups are kept for its records, the new ones are found
    among the new records, and the result is a full run's."""
    yesterday = tmp_path / "yesterday"  # whole, so that no other table is read again
    write_force(force_tables(build_force(SynthSpec(300, 1, 23))), yesterday, tmp_path / "truth")
    log = pq.read_table(yesterday / "access_log.parquet")
    pq.write_table(log, yesterday / "access_log.parquet", row_group_size=ROW_GROUP)
    (tmp_path / "daily").mkdir()
    run_pipeline(yesterday, tmp_path / "daily")
    shared = "kept_lookups__watched_lookups"
    watched = _table(
        tmp_path / "daily",
        f"SELECT kind, min(_source_row) FROM {shared} GROUP BY kind ORDER BY kind",
    )
    assert [kind for kind, _ in watched] == ["flagged", "tied"]

    grown = tmp_path / "grown"
    shutil.copytree(yesterday, grown)
    again = log.take([row - 1 for _, row in watched])  # made again, later the same day
    log = pa.concat_tables([log, again])
    pq.write_table(log, grown / "access_log.parquet", row_group_size=ROW_GROUP)

    daily = _daily_and_full(grown, tmp_path)

    note = daily["shared_lookups"]["carried"]["watched_lookups"]
    assert note.startswith("look-ups in audit-log records 1–") and "kept from run" in note
    rows = f"SELECT * FROM {shared} ORDER BY ALL"
    found = _table(tmp_path / "full", rows)
    assert _table(tmp_path / "daily", rows) == found
    made_again = log.num_rows - again.num_rows
    new = {
        kind
        for kind, row in _table(tmp_path / "full", f"SELECT kind, _source_row FROM {shared}")
        if row > made_again
    }
    assert new == {"flagged", "tied"}
    a, b = _snapshot(tmp_path / "daily"), _snapshot(tmp_path / "full")
    for name in a:
        assert a[name] == b[name], name


def test_evidence_is_found_in_full_when_who_is_who_changed(
    days: tuple[Path, Path], tmp_path: Path
) -> None:
    """Today one system account is gone: whose look-ups are whose changed for every day."""
    yesterday, today = days
    run_pipeline(yesterday, tmp_path / "ws")
    daily = run_pipeline(today, tmp_path / "ws")
    carried = daily["detectors"]["rostered_no_activity"]["carried"]
    assert carried.startswith("found in full: ")
    assert daily["warehouse"]["log_months"]["counted"].startswith("counted in full: ")


def test_fingerprints_taken_ahead_are_those_taken_when_planned(
    days: tuple[Path, Path], tmp_path: Path
) -> None:
    """A daily run takes the files' fingerprints in the background while it copies the last
    warehouse: each is the one the planner would take itself, a grown CSV's digest of the old
    file's bytes included."""
    yesterday, today = days
    run_pipeline(yesterday, tmp_path / "ws")
    ws = Workspace(tmp_path / "ws")
    previous = previous_ingest(ws.read_report(ws.require_current()))
    assert previous is not None
    sources, _ = find_sources(today)
    ahead = Fingerprints(sources, previous)
    for source in sources:
        size = int(previous.inputs[source.spec.name].get("size", 0))
        assert ahead.of(source) == fingerprint(source.path, prefix=size), source.spec.name
    assert any(ahead.of(s).get("prefix_sha256") for s in sources)  # a grown CSV compared
