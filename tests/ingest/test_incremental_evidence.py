"""An incremental run carries the last run's evidence, counts and shared look-ups only where no
new record touches them, and its result is a full run's (the exports: `tests/ingest/days.py`)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from probity.pipeline import run_pipeline
from probity.synth.force import SynthSpec, build_force
from probity.synth.tables import force_tables
from probity.synth.write import write_force
from tests.ingest.days import (
    ROW_GROUP,
    daily_and_full,
    grown_exports,
    lines_of,
    rows_of,
    snapshot,
)
from tests.test_cli import probity


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
    silent = rows_of(
        tmp_path / "daily",
        f"""SELECT e.person_key, CAST(e.occurred_at AS DATE) AS day, min(a.account_id)
            FROM {kept} e JOIN account_person a USING (person_key)
            GROUP BY ALL ORDER BY day LIMIT 1 OFFSET 10""",
    )
    person, day, account = silent[0]
    # An overtime claim yesterday found nothing to corroborate, some days after that shift.
    bare_claim, claimed_from, claim_account = rows_of(
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
    looked_before = rows_of(tmp_path / "daily", why)

    # Someone the person looked up long ago, declared today as their relative: a tie added to
    # records kept from yesterday's run.
    person_key, surname, born = rows_of(
        tmp_path / "daily",
        """SELECT a.person_key, s.surname, s.date_of_birth FROM access_log l
           JOIN account_person a USING (account_id) JOIN record_subjects s USING (subject_id)
           WHERE l.subject_kind = 'person' AND s.surname IS NOT NULL
             AND s.date_of_birth IS NOT NULL AND NOT EXISTS (
               SELECT 1 FROM kept_keys__watched_lookups k
               WHERE k.account_id = l.account_id AND k.subject_id = l.subject_id)
           ORDER BY l._source_row LIMIT 1""",
    )[0]

    grown = grown_exports(yesterday, today, tmp_path / "grown")
    kin = lines_of(grown / "next_of_kin.csv")
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
    claims = lines_of(grown / "overtime_claims.csv")
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

    daily = daily_and_full(grown, tmp_path)

    hours = daily["detectors"]["sustained_hours"]["carried"]
    assert hours.startswith(f"evidence before {worked - timedelta(days=6)} kept from run ")
    weeks = "SELECT * FROM day_evidence__sustained_hours ORDER BY ALL"
    assert rows_of(tmp_path / "daily", weeks) == rows_of(tmp_path / "full", weeks)
    # Uncorroborated overtime: found again from the day before the late claim's, and the
    # claim the late look-up falls in is no longer evidence.
    overtime = daily["detectors"]["uncorroborated_overtime"]["carried"]
    assert overtime.startswith(f"evidence before {worked - timedelta(days=1)} kept from run ")
    bare = "SELECT * FROM day_evidence__uncorroborated_overtime ORDER BY ALL"
    assert rows_of(tmp_path / "daily", bare) == rows_of(tmp_path / "full", bare)
    assert bare_claim not in {
        row
        for (row,) in rows_of(
            tmp_path / "daily", "SELECT source_row FROM day_evidence__uncorroborated_overtime"
        )
    }
    carried = daily["detectors"]["rostered_no_activity"]["carried"]
    assert carried.startswith("evidence before ") and "kept from run" in carried
    since = date.fromisoformat(carried.removeprefix("evidence before ")[:10])
    assert day - timedelta(days=1) == since  # the late look-up's day, less the night before
    whole = f"SELECT * FROM {kept} ORDER BY ALL"
    assert rows_of(tmp_path / "daily", whole) == rows_of(tmp_path / "full", whole)
    # Look-ups on absent days: the rows before the late look-up's day are kept, and whether
    # each had a purpose is decided again from all of them (today's incidents may give one).
    absent = daily["detectors"]["lookups_while_absent"]["carried"]
    assert absent == carried.replace(str(since), str(day))
    rows = "SELECT * FROM day_evidence__lookups_while_absent ORDER BY ALL"
    assert rows_of(tmp_path / "daily", rows) == rows_of(tmp_path / "full", rows)
    # Shifts worked: the last run's, less the rows of the roster records read again (from the
    # group cut short), plus the rows of the records from there on.
    grown_note = daily["warehouse"]["grown"]["duty_intervals"]
    assert grown_note.startswith("rows of roster records after ") and "added to run" in grown_note
    shifts = "SELECT * FROM duty_intervals ORDER BY ALL"
    assert rows_of(tmp_path / "daily", shifts) == rows_of(tmp_path / "full", shifts)
    # The audit log's monthly counts: kept for months before the late look-up's.
    counted = daily["warehouse"]["log_months"]["counted"]
    assert counted.startswith(f"months before {day.replace(day=1).isoformat()} kept from run ")
    for table in ("log_months", "person_month_events"):
        rows = f"SELECT * FROM {table} ORDER BY ALL"
        assert rows_of(tmp_path / "daily", rows) == rows_of(tmp_path / "full", rows), table
    # The records kept are looked through again for the added ties only: the relative, but
    # not the victims of the new incidents (met on duty), whose look-ups count only after the
    # incident closed, after every record kept.
    note = daily["shared_lookups"]["carried"]["watched_lookups"]
    assert note.startswith("look-ups in audit-log records 1–") and " added keys" in note
    assert note.endswith(" more begin after the last of them)")
    kept_records = int(
        note.removeprefix("look-ups in audit-log records 1–").split()[0].replace(",", "")
    )
    assert rows_of(tmp_path / "daily", looked) == rows_of(tmp_path / "full", looked)
    newly_tied = set(rows_of(tmp_path / "full", why)) - set(looked_before)
    assert {tie for row, _, _, tie, _ in newly_tied if row <= kept_records} == {"relative"}
    assert (person, day) not in {
        (p, d)
        for p, d in rows_of(
            tmp_path / "daily", f"SELECT person_key, CAST(occurred_at AS DATE) FROM {kept}"
        )
    }
    a, b = snapshot(tmp_path / "daily"), snapshot(tmp_path / "full")
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

    daily = daily_and_full(grown_exports(yesterday, today, tmp_path / "grown"), tmp_path)

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
    assert snapshot(tmp_path / "daily") == snapshot(tmp_path / "full")


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
    watched = rows_of(
        tmp_path / "daily",
        f"SELECT kind, min(_source_row) FROM {shared} GROUP BY kind ORDER BY kind",
    )
    assert [kind for kind, _ in watched] == ["flagged", "tied"]

    grown = tmp_path / "grown"
    shutil.copytree(yesterday, grown)
    again = log.take([row - 1 for _, row in watched])  # made again, later the same day
    log = pa.concat_tables([log, again])
    pq.write_table(log, grown / "access_log.parquet", row_group_size=ROW_GROUP)

    daily = daily_and_full(grown, tmp_path)

    note = daily["shared_lookups"]["carried"]["watched_lookups"]
    assert note.startswith("look-ups in audit-log records 1–") and "kept from run" in note
    rows = f"SELECT * FROM {shared} ORDER BY ALL"
    found = rows_of(tmp_path / "full", rows)
    assert rows_of(tmp_path / "daily", rows) == found
    made_again = log.num_rows - again.num_rows
    new = {
        kind
        for kind, row in rows_of(tmp_path / "full", f"SELECT kind, _source_row FROM {shared}")
        if row > made_again
    }
    assert new == {"flagged", "tied"}
    a, b = snapshot(tmp_path / "daily"), snapshot(tmp_path / "full")
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
