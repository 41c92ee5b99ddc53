"""Probabilistic linkage with Splink, one model per task, after the deterministic rules.

For each task: build the two sides, score candidate pairs (priors, then unsupervised
training where the data allow), drop pairs a person has rejected, and sort what is left
into linked (at or above the match threshold, and unambiguous), uncertain (the clerical
review band) and unlinked. Confirmed judgements then override the model.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from splink import Linker

from probity.resolve.on_spark import bring_back, spark_linker
from probity.resolve.parameters import model_weights
from probity.resolve.tasks import LinkageTask
from probity.warehouse.engine import Engine

if TYPE_CHECKING:
    from probity.warehouse.spark import SparkEngine

# Below this many records on either side EM has too little to learn from; priors are used.
MIN_RECORDS_FOR_EM = 300
# Matches expected among the pairs (λ × pairs) below which m is not trained by EM (`_train`).
MIN_MATCHES_FOR_EM = 100
CANDIDATES_DDL = """CREATE TABLE IF NOT EXISTS link_candidates (
    task VARCHAR, record_id VARCHAR, person_key VARCHAR, probability DOUBLE, relationship VARCHAR,
    record_description VARCHAR, person_description VARCHAR)"""


@dataclass
class TaskOutcome:
    task: str
    status: str
    linked: int = 0
    uncertain: int = 0
    unlinked: int = 0
    trained: str = "none"
    splink_backend: str | None = None  # where Splink ran, when it did
    seconds: float = 0.0
    reason: str | None = None
    # What the task's further evidence on its pairs weighed (`LinkageTask.weigh_pairs`).
    weighed: Mapping[str, Any] | None = None
    # The trained model's prior and each comparison level's m, u and weight (`parameters`).
    parameters: Mapping[str, Any] | None = None

    def report(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "status": self.status,
            "linked": self.linked,
            "uncertain": self.uncertain,
            "unlinked": self.unlinked,
            "trained": self.trained,
            "seconds": round(self.seconds, 3),
        }
        if self.splink_backend:
            out["splink_backend"] = self.splink_backend
        if self.reason:
            out["reason"] = self.reason
        if self.weighed is not None:
            out["weighed"] = dict(self.weighed)
        if self.parameters is not None:
            out["parameters"] = dict(self.parameters)
        return out


def _quiet_splink() -> None:
    logging.getLogger("splink").setLevel(logging.ERROR)


# The share of true matches the deterministic rules are taken to find (as Splink assumes when
# it estimates λ from them).
DETERMINISTIC_RECALL = 0.8


def _match_prior(engine: Engine, task: LinkageTask, n_records: int, n_people: int) -> float:
    """λ: how likely two records taken at random match. Where every record is someone, one
    person in n. Otherwise from the pairs the deterministic rules find (over their recall):
    those they have linked already, which have left these sides, and any still on them; at
    least one, so a misspelt name is never ruled out by a count of none."""
    if task.every_record_is_someone:
        return 1.0 / max(1, n_people)
    linked = int(engine.fetch("SELECT count(*) FROM links WHERE task = ?", [task.name])[0][0])
    found = max(1, linked + _deterministic_pairs(engine, task))
    return min(1.0, found / DETERMINISTIC_RECALL / ((n_records + linked) * max(1, n_people)))


def _settings(task: LinkageTask, prior: float, engine: Engine) -> dict[str, Any]:
    return {
        "link_type": "link_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": prior,
        "comparisons": list(task.measured(engine) if task.measured else task.comparisons),
        "blocking_rules_to_generate_predictions": [
            {"blocking_rule": b, "sql_dialect": "duckdb"} for b in task.blocking
        ],
        "additional_columns_to_retain": list(task.retain),
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
    }


def _deterministic_pairs(engine: Engine, task: LinkageTask) -> int:
    """Pairs of the two sides that a deterministic rule of the task would link."""
    rules = " OR ".join(f"({rule})" for rule in task.deterministic) or "FALSE"
    return int(
        engine.fetch(f"SELECT count(*) FROM _lk_records l JOIN _lk_people r ON {rules}")[0][0]
    )


def _train(linker: Linker, task: LinkageTask, n_records: int, n_people: int, prior: float) -> str:
    """Estimate u from the data, then m by EM when there is enough of it: enough records on
    both sides, and enough matches among them (λ × pairs) for EM to find the matches as a
    class of their own. With a few dozen matches among millions of pairs (the company
    register against a workforce) EM settles on whatever else clusters (a shared postcode
    and a common forename) and scores strangers as matches; there the priors of m stand.

    λ is set beforehand (`_match_prior`): Splink's own estimate looks only at these sides,
    from which the rules' links have gone, and from a count of none concludes that no pair
    can match, leaving every misspelt name unlinked."""
    training = linker.training
    try:
        training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    except Exception:
        return "priors"
    if min(n_records, n_people) < MIN_RECORDS_FOR_EM:
        return "priors, u estimated"
    if prior * n_records * n_people < MIN_MATCHES_FOR_EM:
        return "priors, u estimated (too few matches for EM)"
    trained = 0
    for rule in task.training:
        try:
            training.estimate_parameters_using_expectation_maximisation(
                rule, fix_u_probabilities=True
            )
            trained += 1
        except Exception:  # EM can fail to converge on an odd block; the priors stand
            continue
    return "em" if trained else "priors, u estimated"


@dataclass(frozen=True)
class OnSpark:
    """Where Splink runs when it runs on Spark: the session, and a folder for the hand-over."""

    spark: SparkEngine
    folder: Path


def run_task(
    engine: Engine,
    task: LinkageTask,
    match: float,
    review: float,
    margin: float,
    judged: bool,
    on_spark: OnSpark | None = None,
) -> TaskOutcome:
    started = time.perf_counter()
    _quiet_splink()
    engine.execute(f"CREATE OR REPLACE TABLE _lk_records AS {task.records_sql}")
    engine.execute(f"CREATE OR REPLACE TABLE _lk_people AS {task.people_sql}")
    # Without a name there is nobody to identify: such records stay unlinked, never guessed.
    engine.execute("DELETE FROM _lk_records WHERE surname IS NULL")
    n_records = int(engine.fetch("SELECT count(*) FROM _lk_records")[0][0])
    n_people = int(engine.fetch("SELECT count(*) FROM _lk_people")[0][0])
    outcome = TaskOutcome(task.name, "ran")
    if n_records and n_people:
        prior = _match_prior(engine, task, n_records, n_people)
        settings = _settings(task, prior, engine)
        if on_spark is None:
            linker = Linker(
                ["_lk_records", "_lk_people"],
                settings,
                db_api=engine.splink_api(),
                input_table_aliases=["records", "people"],
                set_up_basic_logging=False,
            )
        else:
            folder = on_spark.folder / task.name
            linker = spark_linker(engine, on_spark.spark, settings, folder)
        outcome.splink_backend = "duckdb" if on_spark is None else "spark"
        outcome.trained = _train(linker, task, n_records, n_people, prior)
        outcome.parameters = model_weights(linker.misc.save_model_to_json())
        predictions = linker.inference.predict(threshold_match_probability=review)
        if on_spark is None:
            _normalise(engine, predictions.physical_name)
        else:
            _normalise(engine, bring_back(engine, predictions, folder))
        linker.table_management.delete_tables_created_by_splink_from_db()
        if task.weigh_pairs is not None:
            outcome.weighed = task.weigh_pairs(engine)
            # What the further evidence took below the review band leaves it, as if Splink
            # had scored it there.
            engine.execute(f"DELETE FROM _lk_pairs WHERE probability < {review}")
    else:
        engine.execute(
            "CREATE OR REPLACE TABLE _lk_pairs (record_id VARCHAR, person_key VARCHAR, probability DOUBLE, match_weight DOUBLE, "
            "relationship VARCHAR, record_description VARCHAR, person_description VARCHAR)"
        )
    _decide(engine, task, match, margin, judged)
    for t in ("_lk_records", "_lk_people", "_lk_pairs", "_lk_predictions"):
        engine.execute(f"DROP TABLE IF EXISTS {t}")
    outcome.seconds = time.perf_counter() - started
    return outcome


def _normalise(engine: Engine, predictions: str) -> None:
    """Pairs as (record, person), whichever side Splink put each on; one row per pair."""

    def side(col: str, records: bool) -> str:
        first, second = ("l", "r") if records else ("r", "l")
        return f"CASE WHEN source_dataset_l = 'records' THEN {col}_{first} ELSE {col}_{second} END"

    engine.execute(
        f"""CREATE OR REPLACE TABLE _lk_pairs AS
            SELECT record_id, person_key, max(probability) AS probability, max(match_weight) AS match_weight,
                   any_value(relationship) AS relationship,
                   any_value(record_description) AS record_description, any_value(person_description) AS person_description
            FROM (SELECT {side("unique_id", True)} AS record_id, {side("person_key", False)} AS person_key,
                         match_probability AS probability, match_weight, {side("relationship", False)} AS relationship,
                         {side("description", True)} AS record_description,
                         {side("description", False)} AS person_description
                  FROM {predictions})
            WHERE person_key IS NOT NULL
            GROUP BY record_id, person_key"""
    )


def _decide(engine: Engine, task: LinkageTask, match: float, margin: float, judged: bool) -> None:
    name = task.name
    if judged:
        # A rejected pair is never linked again, whether a rule or the model proposed it.
        _judgements_for(engine, task)
        reject = "SELECT record_id, person_key FROM _judged WHERE decision = 'reject'"
        engine.execute(f"DELETE FROM _lk_pairs WHERE (record_id, person_key) IN ({reject})")
        engine.execute(
            f"DELETE FROM links WHERE task = '{name}' AND (record_id, person_key) IN ({reject})"
        )
    if task.one_person_per_record:
        # Linked when the best candidate clears the threshold and is far more likely than the
        # next best (by `margin` in match weight, log2 of the odds); else it is for a person.
        engine.execute(
            f"""INSERT INTO links
                WITH ranked AS (
                    SELECT *, row_number() OVER (PARTITION BY record_id ORDER BY match_weight DESC, person_key) AS rn
                    FROM _lk_pairs),
                runner_up AS (SELECT record_id, max(match_weight) FILTER (WHERE rn = 2) AS second
                              FROM ranked GROUP BY record_id)
                SELECT '{name}', record_id, person_key, probability, 'splink', relationship
                FROM ranked JOIN runner_up USING (record_id)
                WHERE rn = 1 AND probability >= {match} AND (second IS NULL OR match_weight - second >= {margin})"""
        )
    else:
        engine.execute(
            f"""INSERT INTO links SELECT '{name}', record_id, person_key, probability, 'splink', relationship
                FROM _lk_pairs WHERE probability >= {match}"""
        )
    # The clerical review band: everything scored but not linked, for records still unlinked.
    unlinked = "l.record_id = p.record_id" + (
        "" if task.one_person_per_record else " AND l.person_key = p.person_key"
    )
    engine.execute(
        f"""INSERT INTO link_candidates
            SELECT '{name}', p.record_id, p.person_key, p.probability, p.relationship, p.record_description,
                   p.person_description
            FROM _lk_pairs p
            WHERE NOT EXISTS (SELECT 1 FROM links l WHERE l.task = '{name}' AND {unlinked})"""
    )
    if judged:
        _apply_confirmations(engine, task)


def _apply_confirmations(engine: Engine, task: LinkageTask) -> None:
    """A confirmed pair is linked whatever the model says. For a record that is one person,
    the confirmation settles it: every other link and candidate for the record falls away."""
    name = task.name
    engine.execute(
        """CREATE OR REPLACE TEMP TABLE _confirmed AS
            SELECT record_id, person_key FROM _judged WHERE decision = 'confirm'"""
    )
    settled = (
        "record_id IN (SELECT record_id FROM _confirmed)"
        if task.one_person_per_record
        else "(record_id, person_key) IN (SELECT record_id, person_key FROM _confirmed)"
    )
    engine.execute(f"DELETE FROM links WHERE task = '{name}' AND {settled}")
    engine.execute(f"DELETE FROM link_candidates WHERE task = '{name}' AND {settled}")
    engine.execute(
        f"""INSERT INTO links SELECT '{name}', c.record_id, c.person_key, 1.0, 'clerical_confirmed', p.relationship
            FROM _confirmed c LEFT JOIN _lk_pairs p USING (record_id, person_key)"""
    )
    engine.execute("DROP TABLE _confirmed")
    engine.execute("DROP TABLE _judged")


def _judgements_for(engine: Engine, task: LinkageTask) -> None:
    """`_judged`: the task's judgements, each also standing for every record that is the same
    identity as the one judged (`task.same_record_sql`), as nomenklatura carries a judgement
    across a merged entity. A judgement made on the record itself wins over one inherited."""
    direct = (
        f"SELECT record_id, person_key, decision FROM link_judgements WHERE task = '{task.name}'"
    )
    if task.same_record_sql is None:
        engine.execute(f"CREATE OR REPLACE TEMP TABLE _judged AS {direct}")
        return
    engine.execute(
        f"""CREATE OR REPLACE TEMP TABLE _judged AS
            WITH direct AS ({direct}),
            inherited AS (
                SELECT DISTINCT s.same_id AS record_id, d.person_key, d.decision
                FROM direct d JOIN ({task.same_record_sql}) s ON s.record_id = d.record_id)
            SELECT * FROM direct
            UNION ALL
            SELECT * FROM inherited i
            WHERE NOT EXISTS (SELECT 1 FROM direct d
                              WHERE d.record_id = i.record_id AND d.person_key = i.person_key)"""
    )
