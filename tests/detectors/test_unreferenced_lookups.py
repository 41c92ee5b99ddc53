"""Someone who never cites a reference where peers in the same role usually do is flagged;
a role whose work cites none, and a small number of look-ups, are not."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from probity.detectors.base import run_detector
from probity.detectors.registry import detector
from tests.exports import UNITS, lookup, person, write_csv
from tests.warehouse import prepared

RESPONSE = [f"E{i}" for i in range(1, 8)]
ANALYSTS = [f"A{i}" for i in range(1, 8)]


def force(folder: Path, more_lookups: list[dict[str, Any]] | None = None) -> Path:
    analysts = [
        person(a, role="Intelligence analyst", staff_type="staff", rank="Band D", unit_code="INT1")
        for a in ANALYSTS
    ]
    write_csv(folder, "people", [person(p) for p in RESPONSE] + analysts)
    write_csv(folder, "units", UNITS)
    write_csv(
        folder, "system_accounts", [{"account_id": p, "person_id": p} for p in RESPONSE + ANALYSTS]
    )
    rows = []
    for p in RESPONSE + ANALYSTS:
        for i in range(40):
            cites = p != "E1" and p.startswith("E") and i % 5 < 2  # responders cite 40%
            rows.append(
                lookup(
                    p, f"S{i}", f"2026-03-{1 + i % 28:02d}T10:{i:02d}", "CAD1" if cites else None
                )
            )
    write_csv(folder, "access_log", rows + (more_lookups or []))
    return folder


def flagged(folder: Path, **overrides: float) -> dict[str, str]:
    engine, absent = prepared(folder)
    d = detector("unreferenced_lookups")
    run_detector(engine, d, d.params(overrides), absent)
    return {str(p): str(r) for p, r in engine.fetch("SELECT person_key, reason FROM signals")}


def test_never_citing_where_peers_cite_is_flagged(tmp_path: Path) -> None:
    found = flagged(force(tmp_path), min_lookups=30)
    assert set(found) == {"E1"}
    assert found["E1"].startswith(
        "Cited no incident or crime reference in 100% of 40 look-ups of people, where peers in "
        "the same role cite none in 60%; the chance of so many at the share of peers: 1 in "
    )


def test_a_role_that_cites_none_and_few_look_ups_are_not(tmp_path: Path) -> None:
    assert not {a for a in ANALYSTS} & set(flagged(force(tmp_path), min_lookups=30))
    assert flagged(force(tmp_path)) == {}  # 40 look-ups are too few by default


def test_only_look_ups_of_people_count_and_give_the_period(tmp_path: Path) -> None:
    """Look-ups of vehicles, months before and after, change neither the counts nor the
    period; the signal spans the person's first and last look-up of a person."""
    vehicles = [
        {**lookup("E1", f"V{i}", when, "CAD9"), "subject_kind": "vehicle"}
        for i, when in enumerate(["2025-11-02T09:00", "2026-07-30T18:00"])
    ]
    engine, absent = prepared(force(tmp_path, vehicles))
    d = detector("unreferenced_lookups")
    run_detector(engine, d, d.params({"min_lookups": 30}), absent)
    rows = engine.fetch("SELECT person_key, reason, period_start, period_end FROM signals")
    assert [p for p, *_ in rows] == ["E1"]
    assert rows[0][1].startswith(
        "Cited no incident or crime reference in 100% of 40 look-ups of people, where peers "
        "in the same role cite none in 60%;"
    )
    assert (rows[0][2], rows[0][3]) == (datetime(2026, 3, 1, 10, 0), datetime(2026, 3, 28, 10, 27))
