from __future__ import annotations

from pathlib import Path

from probity.detectors.base import run_detector
from probity.detectors.registry import detector
from tests.exports import UNITS, person, shift, write_csv
from tests.warehouse import prepared, signals


def claim(cid: str, pid: str, day: str, hours: float = 8) -> dict[str, object]:
    return {
        "claim_id": cid,
        "person_id": pid,
        "work_date": day,
        "hours": hours,
        "reason_code": "event",
        "amount_gbp": f"{hours * 32.5:.2f}",
    }


def force(folder: Path) -> Path:
    write_csv(
        folder,
        "people",
        [
            person("E1", warrant_number="500001"),
            person("E2"),
            person("E3"),
            person("E4"),
            person("E5"),
        ],
    )
    write_csv(folder, "units", UNITS)
    write_csv(
        folder,
        "roster",
        [
            # E1: sick on 2 and 3 March, claims both days (one under a warrant number).
            shift("E1", "2026-03-02", "sick"),
            shift("E1", "2026-03-03", "sick"),
            # E2: big event on a rest day: ordinary overtime.
            shift("E2", "2026-03-07", "rest_day"),
            shift("E2", "2026-03-08", "rest_day"),
            # E3: back from sickness on 4 March, late turn-out that day.
            shift("E3", "2026-03-03", "sick"),
            shift("E3", "2026-03-04", "early"),
            shift("E3", "2026-03-05", "early"),
            # E4: one claim on a leave day: below the threshold of two.
            shift("E4", "2026-03-02", "annual_leave"),
        ],
    )
    # E5: leave known only from the absence records, not the roster. E3's sickness record was
    # not closed when they came back: the roster's shifts show the days worked.
    write_csv(
        folder,
        "absences",
        [
            {
                "person_id": "E3",
                "absence_type": "sickness",
                "start_date": "2026-03-03",
                "end_date": "2026-03-06",
            },
            {
                "person_id": "E5",
                "absence_type": "annual_leave",
                "start_date": "2026-04-01",
                "end_date": "2026-04-10",
            },
        ],
    )
    write_csv(
        folder,
        "overtime_claims",
        [
            claim("A", "E1", "2026-03-02"),
            claim("B", "500001", "2026-03-03"),
            claim("C", "E2", "2026-03-07", 10),
            claim("D", "E2", "2026-03-08", 10),
            claim("E", "E3", "2026-03-04", 2),
            claim("F", "E3", "2026-03-05", 2),
            claim("G", "E4", "2026-03-02"),
            claim("H", "E5", "2026-04-03"),
            claim("I", "E5", "2026-04-06"),
        ],
    )
    return folder


def test_overtime_claimed_while_rostered_sick_is_flagged_even_under_a_warrant_number(
    tmp_path: Path,
) -> None:
    found = signals(force(tmp_path), "overtime_while_absent")
    assert "E1" in found
    assert (
        "2 days recorded as sickness or annual leave (16.0 hours, £520.00) between 2 Mar 2026 and 3 Mar 2026"
        in found["E1"]
    )


def test_overtime_on_days_in_absence_records_is_flagged(tmp_path: Path) -> None:
    assert "E5" in signals(force(tmp_path), "overtime_while_absent")


def test_rest_day_event_overtime_and_days_back_at_work_are_not_flagged(tmp_path: Path) -> None:
    found = signals(force(tmp_path), "overtime_while_absent")
    assert "E2" not in found
    assert "E3" not in found


def test_a_single_claim_on_a_leave_day_stays_below_the_threshold_unless_policy_lowers_it(
    tmp_path: Path,
) -> None:
    folder = force(tmp_path)
    assert "E4" not in signals(folder, "overtime_while_absent")
    engine, absent = prepared(folder)
    d = detector("overtime_while_absent")
    run_detector(engine, d, d.params({"min_claims": 1}), absent)
    assert ("E4",) in engine.fetch("SELECT person_key FROM signals")


def test_evidence_rows_point_at_the_claims(tmp_path: Path) -> None:
    engine, absent = prepared(force(tmp_path))
    d = detector("overtime_while_absent")
    run_detector(engine, d, d.params(), absent)
    rows = engine.fetch(
        "SELECT source_file, source_row FROM evidence WHERE signal_id = 'overtime_while_absent:E1' ORDER BY 2"
    )
    assert rows == [("overtime_claims.csv", 1), ("overtime_claims.csv", 2)]


def test_skipped_when_overtime_claims_are_not_provided(tmp_path: Path) -> None:
    folder = force(tmp_path)
    (folder / "overtime_claims.csv").unlink()
    engine, absent = prepared(folder)
    outcome = run_detector(engine, detector("overtime_while_absent"), {"min_claims": 2}, absent)
    assert outcome.status == "skipped"
    assert outcome.reason == "input not provided: overtime_claims"
