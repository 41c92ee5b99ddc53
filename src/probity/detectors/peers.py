"""Comparing a person's rate with their peers': the empirical-Bayes step the rate detectors share.

The peer rate is the rate of the rest of the person's peer group (role × unit kind × rank, the
person left out), itself shrunk toward the force-wide rate so a small group with no events does
not claim a rate of zero. The person's own rate (events per unit of exposure) is shrunk toward
that peer rate with a prior worth `prior` events, and expressed as a ratio to it. Groups with
fewer than `min_peers` others are not compared.
"""

from __future__ import annotations


def shrunk_ratio_sql(rates: str, prior: float, min_peers: int) -> str:
    """SQL over `rates` (person_key, peer_group, events, exposure) adding `peer_rate` and
    `ratio` (shrunk rate over peer rate)."""
    return f"""
    SELECT r.*, p.peer_rate,
           ({prior} + r.events) / ({prior} / p.peer_rate + r.exposure) / p.peer_rate AS ratio
    FROM {rates} r
    JOIN (
        SELECT r.person_key,
               (g.events - r.events + {prior}) / (g.exposure - r.exposure + {prior} / f.rate) AS peer_rate
        FROM {rates} r
        JOIN (SELECT peer_group, sum(events) AS events, sum(exposure) AS exposure, count(*) AS size
              FROM {rates} GROUP BY peer_group) g USING (peer_group),
        (SELECT sum(events) / nullif(sum(exposure), 0) AS rate FROM {rates}) f
        WHERE g.size - 1 >= {min_peers} AND f.rate > 0
    ) p USING (person_key)
    """


def poisson_tail_sql(k: str, lam: str) -> str:
    """SQL for P(X ≥ k) with X ~ Poisson(lam), summed in log space so that large counts do not
    overflow (no factorials or powers are formed)."""
    term = f"exp(-({lam}) + i * ln({lam}) - lgamma(i + 1))"
    return (
        f"CASE WHEN ({k}) <= 0 THEN 1.0 WHEN ({lam}) <= 0 THEN 0.0 "
        f"ELSE greatest(0.0, 1 - list_sum(list_transform(range({k}), lambda i: {term}))) END"
    )


def binomial_tail_sql(k: str, n: str, p: str, upper: bool) -> str:
    """SQL for P(X ≤ k) (or P(X ≥ k) when `upper`) with X ~ Binomial(n, p), in log space."""
    term = f"exp(lgamma({n} + 1) - lgamma(i + 1) - lgamma({n} - i + 1) + i * ln({p}) + ({n} - i) * ln(1 - ({p})))"
    terms = (
        f"range(CAST({k} AS BIGINT), CAST({n} AS BIGINT) + 1)"
        if upper
        else f"range(CAST({k} AS BIGINT) + 1)"
    )
    return (
        f"CASE WHEN ({p}) <= 0 OR ({p}) >= 1 THEN NULL "
        f"ELSE least(1.0, list_sum(list_transform({terms}, lambda i: {term}))) END"
    )


def area_peer_groups_sql(min_peers: int) -> str:
    """SQL for (person_key, peer_group, in_area): the person's role × unit kind × rank within
    their command (the area they police) where that has `min_peers` others; otherwise the same
    role × unit kind × rank pooled across the areas too small to compare within."""
    return f"""
    SELECT person_key, area_size - 1 >= {min_peers} AS in_area,
           CASE WHEN area_size - 1 >= {min_peers} THEN peer_group || ' | ' || command
                ELSE peer_group || ' | smaller areas' END AS peer_group
    FROM (SELECT g.person_key, g.peer_group, coalesce(d.command, '?') AS command,
                 count(*) OVER (PARTITION BY g.peer_group, d.command) AS area_size
          FROM peer_groups g JOIN person_dim d USING (person_key))
    """


def expected_events_sql(rates: str, prior: float, min_peers: int) -> str:
    """SQL over `rates` (person_key, peer_group, events, exposure) giving a null model's rows
    (`null_model.py`): person_key, peer_group, observed, expected, where expected is the person's exposure
    at the rest of their peer group's rate, shrunk as in `shrunk_ratio_sql`."""
    return f"""
    SELECT person_key, peer_group, events AS observed, exposure * peer_rate AS expected
    FROM ({shrunk_ratio_sql(rates, prior, min_peers)}) WHERE exposure > 0
    """


def repeats_sql(unit: str, minimum: int) -> str:
    """SQL (person_key, n): how far the person went beyond a repeat, over the records in
    `_evidence` they came back to. A record counts 1 when its `unit` (look-ups, or days it was
    looked up on) first reaches `minimum`, and 1 more for each unit beyond.

    Look-ups of one record come in bunches of at least `minimum` (that is what makes them a
    repeat), so counting them one by one would make a single bunch look like `minimum`
    independent events and tell the null model that chance alone almost never does it."""
    return f"""
    SELECT person_key, sum(units - {minimum - 1}) AS n FROM (
        SELECT person_key, subject_id, {unit} AS units FROM _evidence
        WHERE source_table = 'access_log' GROUP BY 1, 2
        HAVING {unit} >= {minimum})
    GROUP BY 1"""


def per_lookup_rates_sql(events: str) -> str:
    """SQL for rates (person_key, peer_group, events, exposure) of the look-up detectors:
    `events` (a query of person_key, n) against the person's look-ups of people, for everyone
    in a peer group who made any. Someone who works the systems all day meets more of every
    kind of record, and their peers' rate says how many more."""
    return f"""
    SELECT g.person_key, g.peer_group, coalesce(e.n, 0) AS events,
           CAST(v.lookups AS DOUBLE) AS exposure
    FROM peer_groups g
    JOIN (SELECT person_key, sum(person_lookups) AS lookups FROM log_months GROUP BY person_key) v
      USING (person_key)
    LEFT JOIN ({events}) e USING (person_key)"""
