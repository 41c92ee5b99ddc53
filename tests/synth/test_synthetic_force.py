"""The synthetic force looks like a force: proportions, messiness, planted cases, known bias."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from probity.contract import TABLES
from probity.synth.force import SynthSpec, build_force
from probity.synth.tables import force_tables


def q(sql: str) -> list[tuple[object, ...]]:
    return duckdb.sql(sql).fetchall()


def test_every_contract_table_is_written_with_its_columns(small_force: Path) -> None:
    for spec in TABLES:
        files = list(small_force.glob(f"{spec.name}.*"))
        assert len(files) == 1, spec.name
        f = files[0]
        cols = [r[0] for r in q(f"DESCRIBE SELECT * FROM '{f}'")]
        assert cols == list(spec.column_names), spec.name


def test_staff_mix_and_sickness_are_realistic(small_force: Path) -> None:
    (officers,) = q(f"SELECT avg((staff_type = 'officer')::INT) FROM '{small_force}/people.csv'")[0]
    assert 0.6 < float(officers) < 0.8  # type: ignore[arg-type]
    (sick,) = q(f"SELECT avg((duty_type = 'sick')::INT) FROM '{small_force}/roster.parquet'")[0]
    assert 0.025 < float(sick) < 0.055  # type: ignore[arg-type]


def test_most_lookups_are_made_on_duty(small_force: Path) -> None:
    (on_duty,) = q(
        f"""SELECT avg(CASE WHEN r.person_id IS NOT NULL THEN 1 ELSE 0 END) FROM '{small_force}/access_log.parquet' l
            JOIN '{small_force}/system_accounts.csv' a USING (account_id)
            LEFT JOIN '{small_force}/roster.parquet' r ON r.person_id = a.person_id
             AND l.event_time BETWEEN r.shift_start AND r.shift_end"""
    )[0]
    assert float(on_duty) > 0.9  # type: ignore[arg-type]


def test_public_complaints_mostly_follow_a_contact_on_record(small_force: Path) -> None:
    """Complaints arise from contact: most public complaints fall on a day the officer
    complained of attended an incident, searched someone or used force."""
    truth = small_force.parent / f"{small_force.name}-truth"

    def f(table: str) -> Path:
        return next(small_force.glob(f"{table}.*"))

    (share, n) = q(
        f"""WITH subject AS (
                SELECT record_id, person_id FROM read_csv('{truth}/identity_links.csv', all_varchar = true)
                WHERE task = 'complaint_subject' AND person_id IS NOT NULL),
            contact AS (
                SELECT person_id, CAST(arrived_time AS DATE) AS day FROM '{f("incident_attendance")}'
                UNION SELECT person_id, CAST(event_time AS DATE) FROM '{f("stop_search")}'
                UNION SELECT person_id, CAST(event_time AS DATE) FROM '{f("use_of_force")}')
            SELECT avg((k.person_id IS NOT NULL)::INT), count(*)
            FROM '{f("complaints")}' c JOIN subject s ON s.record_id = c.complaint_id
            LEFT JOIN contact k ON k.person_id = s.person_id AND k.day = c.incident_date
            WHERE c.complainant_type = 'public'"""
    )[0]
    assert int(n) > 50  # type: ignore[call-overload]
    assert float(share) > 0.7  # type: ignore[arg-type]


def test_exports_are_messy_as_the_contract_says(small_force: Path) -> None:
    truth = small_force.parent / f"{small_force.name}-truth"
    with (truth / "messy_references.csv").open() as f:
        messy = list(csv.DictReader(f))
    assert any(m["table"] == "overtime_claims" for m in messy), (
        "warrant numbers in place of person ids"
    )
    (legacy,) = q(
        f"SELECT count(*) FROM '{small_force}/system_accounts.csv' WHERE person_id IS NULL"
    )[0]
    assert legacy > 0
    as_recorded = [
        r[0] for r in q(f"SELECT subject_name_as_recorded FROM '{small_force}/complaints.csv'")
    ]
    assert any(str(n).startswith(("PC ", "DC ", "PS ")) for n in as_recorded)


def test_every_concern_is_planted_and_decoys_exist(small_force: Path) -> None:
    from probity.detectors.base import CONCERNS

    truth = small_force.parent / f"{small_force.name}-truth"
    with (truth / "planted.csv").open() as f:
        planted = {r["concern"] for r in csv.DictReader(f)}
    assert planted == set(CONCERNS)
    with (truth / "decoys.csv").open() as f:
        assert {r["looks_like"] for r in csv.DictReader(f)} >= {
            "information_misuse",
            "undeclared_interest",
            "claims_and_attendance",
            "complaint_pattern",
        }


def test_same_seed_gives_the_same_force() -> None:
    a = force_tables(build_force(SynthSpec(120, 1, 4))).tables
    b = force_tables(build_force(SynthSpec(120, 1, 4))).tables
    assert all(a[name].equals(b[name]) for name in a)


@pytest.fixture(scope="module")
def larger_force() -> dict[str, object]:
    force = force_tables(build_force(SynthSpec(4000, 2, 21)))
    return {**force.tables, "identity_links": force.truth["identity_links"]}


def test_historic_allegations_carry_the_casey_review_bias(larger_force: dict[str, object]) -> None:
    """Black officers get more allegations than White colleagues with the same exposure."""
    con = duckdb.connect()
    for name in ("people", "identity_links", "incident_attendance", "stop_search"):
        con.register(name, larger_force[name])
    rows = con.execute(
        """WITH exposure AS (
               SELECT person_id, sum(w) AS n FROM (
                   SELECT person_id, 1 AS w FROM incident_attendance
                   UNION ALL SELECT person_id, 2 FROM stop_search) GROUP BY 1),
                complaints AS (SELECT person_id, count(*) AS n FROM identity_links
                               WHERE task = 'complaint_subject' GROUP BY 1)
           SELECT p.ethnicity, sum(coalesce(c.n, 0)) / sum(e.n) FROM people p
           JOIN exposure e USING (person_id) LEFT JOIN complaints c USING (person_id)
           WHERE p.ethnicity IN ('Black', 'White') GROUP BY 1"""
    ).fetchall()
    rate = dict(rows)
    assert 1.4 < rate["Black"] / rate["White"] < 2.3, rate
