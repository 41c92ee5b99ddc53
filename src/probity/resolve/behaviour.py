"""Accounts by what they do: evidence from an account's use for who holds it.

A login with no person id is scored on its display name first (`tasks.system_account`). Two
people can share a name; only one of them was at work on the days the account was used. For
each scored pair (account, candidate) this module counts the days the account made look-ups,
and of those the days the candidate was on duty (a rostered shift that day, or a night shift
ending that day; for someone the roster does not cover, a badge swipe) and the days they were
away (annual leave or sick on the roster; sickness, leave, suspension or parental absence on
record; `person_refs` maps a warrant number given in place of a person id). The pair falls
into one level:

- `away`: used on at least two days the candidate was away, and on 5% of its days or more;
- `on duty every day used`: the candidate was on duty on 95% of its days or more;
- `on duty most days used`: on 70% or more;
- `seldom on duty`: anything else;
- no evidence when the account was used on fewer than `MIN_DAYS` days, or nothing records
  when the candidate is on duty (no shift, no badge swipe at all).

How much each level says is measured on every run, from the accounts whose holder is on
record (their person id): m is how often an account and its holder fall in the level, u how
often an account and a person drawn at random do. The level's Bayes factor m/u (counts
smoothed by one observation per level in proportion to each side's size, so that a level
seen in neither weighs nothing) is added to the pair's match
weight as log2(m/u), after Splink scores the name, so that the threshold and the ambiguity
margin decide on both together. Sex and ethnicity are not read.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from probity.warehouse.engine import Engine

# Fewer days of use than this say too little about whose they are.
MIN_DAYS = 5
# Accounts with a holder on record, at most, that the levels are measured on; and the people
# drawn at random for each.
SAMPLE_ACCOUNTS = 2000
STRANGERS_PER_ACCOUNT = 3
LEVELS = ("away", "on duty every day used", "on duty most days used", "seldom on duty")
# The tables read (for `LinkageTask.reads`).
READS = ("access_log", "roster", "building_access", "absences")
_AWAY_ABSENCES = "('sickness', 'annual_leave', 'suspension', 'parental', 'special_leave')"


@dataclass(frozen=True)
class LevelFit:
    level: str
    holders: int  # sampled accounts and their holders in the level
    strangers: int  # sampled accounts and people drawn at random in the level
    weight: float  # log2 of the Bayes factor added to a pair's match weight

    def report(self) -> dict[str, float | int]:
        return {"holders": self.holders, "strangers": self.strangers, "weight": self.weight}


# The level of a pair in `_bh_counts` (NULL: no evidence).
LEVEL_SQL = f"""CASE
        WHEN days < {MIN_DAYS} OR NOT covered THEN NULL
        WHEN away >= greatest(2, 0.05 * days) THEN '{LEVELS[0]}'
        WHEN on_duty >= 0.95 * days THEN '{LEVELS[1]}'
        WHEN on_duty >= 0.7 * days THEN '{LEVELS[2]}'
        ELSE '{LEVELS[3]}' END"""


def _scored_pairs(engine: Engine) -> None:
    """`_bh_pairs` (account_id, person_key, kind): the task's scored pairs ('candidate'), and
    for a sample of accounts with a holder on record, the holder ('holder') and people drawn
    at random ('stranger')."""
    engine.execute(
        f"""CREATE OR REPLACE TEMP TABLE _bh_sample AS
            SELECT record_id AS account_id, person_key FROM links
            WHERE task = 'system_account' AND method = 'account_person_id'
            ORDER BY hash(record_id), record_id LIMIT {SAMPLE_ACCOUNTS}"""
    )
    engine.execute(
        """CREATE OR REPLACE TEMP TABLE _bh_people AS
            SELECT person_id, row_number() OVER (ORDER BY hash(person_id), person_id) - 1 AS i
            FROM people"""
    )
    n = max(1, int(engine.fetch("SELECT count(*) FROM _bh_people")[0][0]))
    engine.execute(
        f"""CREATE OR REPLACE TEMP TABLE _bh_pairs AS
            SELECT DISTINCT record_id AS account_id, person_key, 'candidate' AS kind FROM _lk_pairs
            UNION ALL
            SELECT account_id, person_key, 'holder' FROM _bh_sample
            UNION ALL
            SELECT s.account_id, p.person_id, 'stranger'
            FROM (SELECT account_id, person_key,
                         CAST((hash(account_id) % {n} + k * 7919) % {n} AS BIGINT) AS i
                  FROM _bh_sample CROSS JOIN range({STRANGERS_PER_ACCOUNT}) k(k)) s
            JOIN _bh_people p USING (i)
            WHERE p.person_id <> s.person_key"""
    )


def _day_counts(engine: Engine) -> None:
    """`_bh_counts`: per pair, the days the account was used, and of them the days the person
    was on duty and away."""
    engine.execute(
        """CREATE OR REPLACE TEMP TABLE _bh_days AS
            SELECT DISTINCT account_id, CAST(event_time AS DATE) AS day FROM access_log
            WHERE account_id IN (SELECT account_id FROM _bh_pairs)"""
    )
    engine.execute(
        "CREATE OR REPLACE TEMP TABLE _bh_persons AS SELECT DISTINCT person_key FROM _bh_pairs"
    )
    persons = "(SELECT person_key FROM _bh_persons)"
    # The roster, badges and absences may name a person by warrant number: `person_refs`
    # maps each reference to the person (`_bh_refs`, for the people in question only).
    engine.execute(
        f"""CREATE OR REPLACE TEMP TABLE _bh_refs AS
            SELECT ref, person_key FROM person_refs WHERE person_key IN {persons}"""
    )
    engine.execute(  # a shift covers its date and the date it ends on (nights)
        """CREATE OR REPLACE TEMP TABLE _bh_duty AS
            SELECT DISTINCT person_id, day FROM (
                SELECT r.person_key AS person_id,
                       unnest([d.duty_date, CAST(d.shift_end AS DATE)]) AS day
                FROM roster d JOIN _bh_refs r ON r.ref = d.person_id
                WHERE d.shift_start IS NOT NULL)
            WHERE day IS NOT NULL"""
    )
    # Badge swipes stand in for the roster of people it does not cover (staff on office
    # hours in some forces); the largest table but one is read only when there are such.
    unrostered = f"{persons} EXCEPT (SELECT person_id FROM _bh_duty)"
    if int(engine.fetch(f"SELECT count(*) FROM ({unrostered})")[0][0]):
        engine.execute(
            f"""INSERT INTO _bh_duty SELECT DISTINCT r.person_key, CAST(b.event_time AS DATE)
                FROM building_access b JOIN _bh_refs r ON r.ref = b.person_id
                WHERE r.person_key IN ({unrostered})"""
        )
    # Away: leave or sickness on the roster, or an absence on record (one with no end date
    # counts its first day only, as the warehouse's `absence_days` does).
    engine.execute(
        f"""CREATE OR REPLACE TEMP TABLE _bh_away AS
            SELECT DISTINCT r.person_key AS person_id, d.duty_date AS day
            FROM roster d JOIN _bh_refs r ON r.ref = d.person_id
            WHERE d.duty_type IN ('annual_leave', 'sick')
            UNION
            SELECT DISTINCT r.person_key, CAST(g.day AS DATE)
            FROM absences a JOIN _bh_refs r ON r.ref = a.person_id,
                 LATERAL (SELECT unnest(generate_series(a.start_date,
                          coalesce(a.end_date, a.start_date), INTERVAL 1 DAY)) AS day) g
            WHERE a.absence_type IN {_AWAY_ABSENCES}"""
    )
    engine.execute(
        """CREATE OR REPLACE TEMP TABLE _bh_counts AS
            SELECT p.account_id, p.person_key, p.kind, count(*) AS days,
                   count(*) FILTER (WHERE EXISTS (SELECT 1 FROM _bh_duty w
                       WHERE w.person_id = p.person_key AND w.day = d.day)) AS on_duty,
                   count(*) FILTER (WHERE EXISTS (SELECT 1 FROM _bh_away a
                           WHERE a.person_id = p.person_key AND a.day = d.day)) AS away,
                   -- whether anything records when the person is on duty at all
                   c.person_id IS NOT NULL AS covered
            FROM _bh_pairs p JOIN _bh_days d USING (account_id)
            LEFT JOIN (SELECT DISTINCT person_id FROM _bh_duty) c ON c.person_id = p.person_key
            GROUP BY ALL"""
    )


def weigh_by_behaviour(engine: Engine) -> dict[str, LevelFit]:
    """Add each scored pair's behavioural evidence to its match weight in `_lk_pairs`
    (record_id an account, person_key a candidate), and say what each level weighed."""
    _scored_pairs(engine)
    _day_counts(engine)
    engine.execute(
        f"CREATE OR REPLACE TEMP TABLE _bh_levels AS SELECT *, {LEVEL_SQL} AS level FROM _bh_counts"
    )
    counts = {
        (str(kind), str(lvl)): int(n)
        for kind, lvl, n in engine.fetch(
            """SELECT kind, level, count(*) FROM _bh_levels
               WHERE kind <> 'candidate' AND level IS NOT NULL GROUP BY ALL"""
        )
    }
    holders = sum(n for (kind, _), n in counts.items() if kind == "holder")
    strangers = sum(n for (kind, _), n in counts.items() if kind == "stranger")
    # One pseudo-observation per level on each side, in proportion to that side's size, so a
    # level seen in neither weighs nothing (log2(m/u) = 0).
    scale = strangers / holders if holders else 1.0
    fits: dict[str, LevelFit] = {}
    for name in LEVELS:
        h, s = counts.get(("holder", name), 0), counts.get(("stranger", name), 0)
        m = (h + 1) / (holders + len(LEVELS))
        u = (s + scale) / (strangers + scale * len(LEVELS))
        fits[name] = LevelFit(name, h, s, round(math.log2(m / u), 4))
    weights = " ".join(f"WHEN '{f.level}' THEN {f.weight}" for f in fits.values())
    engine.execute(
        f"""CREATE OR REPLACE TEMP TABLE _bh_weights AS
            SELECT account_id AS record_id, person_key, days, on_duty, away, level,
                   CASE level {weights} ELSE 0 END AS weight
            FROM _bh_levels WHERE kind = 'candidate'"""
    )
    engine.execute(
        """UPDATE _lk_pairs p SET
               match_weight = p.match_weight + w.weight,
               probability = 1 / (1 + pow(2, -(p.match_weight + w.weight))),
               person_description = p.person_description || ' · used on ' || w.days
                   || ' days: on duty ' || w.on_duty || ', away ' || w.away
           FROM _bh_weights w
           WHERE w.record_id = p.record_id AND w.person_key = p.person_key AND w.days > 0"""
    )
    for t in ("_bh_sample", "_bh_people", "_bh_pairs", "_bh_persons", "_bh_refs", "_bh_days"):
        engine.execute(f"DROP TABLE IF EXISTS {t}")
    for t in ("_bh_duty", "_bh_away", "_bh_counts", "_bh_levels", "_bh_weights"):
        engine.execute(f"DROP TABLE IF EXISTS {t}")
    return fits
