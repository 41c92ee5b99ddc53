"""Claims nearly all in round sums are flagged; a fixed rate many people claim, and a few round
sums among ordinary receipts, are not."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from tests.detectors.test_duplicate_expenses import claim
from tests.exports import UNITS, person, write_csv
from tests.warehouse import signals

PEOPLE = [f"E{i}" for i in range(1, 10)]


def receipts(pid: str, n: int) -> list[dict[str, object]]:
    """Ordinary receipted claims, one a week: pence in every amount."""
    return [
        claim(
            f"{pid}R{i}",
            pid,
            str(date(2025, 1, 6) + timedelta(weeks=i)),
            "travel",
            11.37 + 3.11 * i,
        )
        for i in range(n)
    ]


def force(folder: Path, extra: list[dict[str, object]] | None = None) -> Path:
    write_csv(folder, "people", [person(p) for p in PEOPLE])
    write_csv(folder, "units", UNITS)
    rows = []
    # E1: eight claims, every one a round sum, and two ordinary ones.
    rows += [
        claim(f"A{i}", "E1", f"2026-03-{i + 1:02d}", "subsistence", 20.0 + 10 * i) for i in range(8)
    ]
    rows += receipts("E1", 2)
    # E2: ten nights at the fixed accommodation rate that E3..E7 also claim.
    rows += [claim(f"B{i}", "E2", f"2026-04-{i + 1:02d}", "accommodation", 95.0) for i in range(10)]
    for p in ("E3", "E4", "E5", "E6", "E7"):
        rows.append(claim(f"{p}N", p, "2026-05-02", "accommodation", 95.0))
    # E8: many receipts with two round sums among them.
    rows += receipts("E8", 20)
    rows += [claim("C1", "E8", "2026-06-01", "travel", 30.0)]
    rows += [claim("C2", "E8", "2026-06-02", "travel", 15.0)]
    for p in PEOPLE[2:]:
        rows += receipts(p, 40)
    write_csv(folder, "expense_claims", rows + (extra or []))
    return folder


def test_claims_nearly_all_in_round_sums_are_flagged(tmp_path: Path) -> None:
    found = signals(force(tmp_path), "rounded_expenses")
    assert set(found) == {"E1"}
    assert found["E1"].startswith(
        "8 of 10 expense claims in round multiples of £5 between 1 Mar 2026 and 8 Mar 2026, "
        "against "
    )


def test_a_fixed_rate_and_a_few_round_sums_are_not(tmp_path: Path) -> None:
    found = signals(force(tmp_path), "rounded_expenses")
    assert not {"E2", "E8"} & set(found)


def test_a_round_sum_few_people_claim_is_not_taken_for_a_rate(tmp_path: Path) -> None:
    """Three others claiming one of E1's amounts do not make it a fixed rate."""
    others = [claim(f"D{i}", f"E{i}", "2026-07-01", "subsistence", 20.0) for i in range(3, 6)]
    assert signals(force(tmp_path, others), "rounded_expenses")["E1"].startswith("8 of 10 ")


def test_four_others_claiming_it_do(tmp_path: Path) -> None:
    """Five people, and a large share of the category: the amount is a rate, and E1's claim
    of it is no longer counted as round."""
    others = [claim(f"D{i}", f"E{i}", "2026-07-01", "subsistence", 20.0) for i in range(3, 7)]
    assert signals(force(tmp_path, others), "rounded_expenses")["E1"].startswith("7 of 10 ")


def test_a_rate_is_a_share_of_its_category_not_just_a_count_of_people(tmp_path: Path) -> None:
    """The same five people among many subsistence claims: no longer common enough."""
    others = [claim(f"D{i}", f"E{i}", "2026-07-01", "subsistence", 20.0) for i in range(3, 7)]
    others += [
        claim(
            f"M{i}", "E9", str(date(2024, 1, 1) + timedelta(days=i)), "subsistence", 7.31 + i / 100
        )
        for i in range(600)
    ]
    assert signals(force(tmp_path, others), "rounded_expenses")["E1"].startswith("8 of 10 ")
