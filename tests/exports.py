"""Build small export folders by hand for tests: a few rows per table, in the contract layout."""

from __future__ import annotations

import csv
import random
from pathlib import Path
from typing import Any

from probity.contract import table_spec


def write_csv(
    folder: Path, table: str, rows: list[dict[str, Any]], columns: list[str] | None = None
) -> Path:
    """Write `table.csv` with the contract's columns (or those given); missing values are empty."""
    folder.mkdir(parents=True, exist_ok=True)
    cols = columns or list(table_spec(table).column_names)
    path = folder / f"{table}.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=cols, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: "" if row.get(c) is None else row.get(c) for c in cols})
    return path


def person(pid: str, **kw: Any) -> dict[str, Any]:
    base = {
        "person_id": pid,
        "surname": "Okafor",
        "forenames": "Grace",
        "date_of_birth": "1985-04-12",
        "sex": "F",
        "ethnicity": "Black",
        "staff_type": "officer",
        "rank": "PC",
        "role": "Response",
        "unit_code": "SERT",
        "start_date": "2010-01-01",
        "home_postcode": "SE13 5AB",
    }
    base.update(kw)
    return base


UNITS = [
    {
        "unit_code": "SERT",
        "name": "South East response",
        "command": "South East",
        "kind": "response",
        "required_vetting": "NPPV2",
    },
    {
        "unit_code": "INT1",
        "name": "Intelligence Hub 1",
        "command": "Specialist Crime",
        "kind": "intelligence",
        "required_vetting": "NPPV3",
    },
]


def shift(pid: str, day: str, duty: str = "early") -> dict[str, Any]:
    starts = {"early": ("07:00", "15:00"), "late": ("15:00", "23:00"), "day": ("08:00", "16:00")}
    row: dict[str, Any] = {
        "person_id": pid,
        "duty_date": day,
        "duty_type": duty,
        "unit_code": "SERT",
    }
    if duty in starts:
        s, e = starts[duty]
        row["shift_start"] = f"{day}T{s}"
        row["shift_end"] = f"{day}T{e}"
    return row


def lookup(
    account: str,
    subject: str,
    when: str,
    ref: str | None = None,
    *,
    action: str = "view",
    system: str | None = None,
) -> dict[str, Any]:
    """One access_log row: `account` looked up person record `subject` at `when`, citing `ref`."""
    return {
        "event_time": when,
        "account_id": account,
        "system": system,
        "action": action,
        "subject_kind": "person",
        "subject_id": subject,
        "linked_reference": ref,
    }


def routine_lookups(
    rng: random.Random, account: str, n: int, pool: list[str], watched: list[str], share: float
) -> list[dict[str, Any]]:
    """`n` look-ups at work between January and September 2026 citing nothing: of `watched`
    records (nominals, high-profile people) with probability `share`, else of `pool`."""
    rows = []
    for _ in range(n):
        subject = rng.choice(watched if rng.random() < share else pool)
        when = f"2026-{rng.randint(1, 9):02d}-{rng.randint(1, 28):02d}T{rng.randint(8, 17):02d}:00"
        rows.append(lookup(account, subject, when))
    return rows
