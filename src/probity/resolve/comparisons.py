"""Comparisons for the linkage models, as Splink settings data.

Each level carries a prior m and u probability, so a model can score pairs before (or
without) training; EM replaces the priors wherever a task has enough data. Sex and ethnicity
are never compared.
"""

from __future__ import annotations

from typing import Any

Level = dict[str, Any]


def level(sql: str, label: str, m: float, u: float) -> Level:
    return {"sql_condition": sql, "label_for_charts": label, "m_probability": m, "u_probability": u}


def comparison(name: str, null_when: str, *levels: Level) -> dict[str, Any]:
    return {
        "output_column_name": name,
        "comparison_levels": [
            {"sql_condition": null_when, "label_for_charts": "null", "is_null_level": True},
            *levels,
        ],
    }


def nulls(*cols: str) -> str:
    return " OR ".join(f"{c}_l IS NULL OR {c}_r IS NULL" for c in cols)


def surname() -> dict[str, Any]:
    """Surnames, weighted by how common they are (a shared rare surname says more)."""
    exact_level = level("surname_l = surname_r", "exact", 0.86, 0.002)
    exact_level.update({"tf_adjustment_column": "surname", "tf_adjustment_weight": 1.0})
    return comparison(
        "surname",
        nulls("surname"),
        exact_level,
        level("jaro_winkler_similarity(surname_l, surname_r) >= 0.92", "typo", 0.08, 0.004),
        level("damerau_levenshtein(surname_l, surname_r) <= 2", "two slips", 0.04, 0.006),
        level("ELSE", "different", 0.02, 0.988),
    )


def initial() -> dict[str, Any]:
    """First initials: all that many records (complaints, logins) hold of a forename."""
    return comparison(
        "initial",
        nulls("initial"),
        level("initial_l = initial_r", "same initial", 0.96, 0.07),
        level("ELSE", "different", 0.04, 0.93),
    )


def forename() -> dict[str, Any]:
    """Whole first names, where both sides have one; nicknames count as agreement."""
    return comparison(
        "forename",
        nulls("forename"),
        level("forename_l = forename_r", "exact", 0.8, 0.012),
        level("list_has_any(forename_forms_l, forename_forms_r)", "nickname", 0.07, 0.001),
        level("jaro_winkler_similarity(forename_l, forename_r) >= 0.88", "typo", 0.1, 0.01),
        level("ELSE", "different", 0.03, 0.977),
    )


def middle_names() -> dict[str, Any]:
    """Full forenames, compared only where both sides hold more than one."""
    both = "contains(forenames_full_l, ' ') AND contains(forenames_full_r, ' ')"
    return comparison(
        "middle_names",
        f"forenames_full_l IS NULL OR forenames_full_r IS NULL OR NOT ({both})",
        level("forenames_full_l = forenames_full_r", "same middle names", 0.9, 0.005),
        level("ELSE", "different middle names", 0.1, 0.995),
    )


def date_of_birth() -> dict[str, Any]:
    return comparison(
        "date_of_birth",
        nulls("dob"),
        level("dob_l = dob_r", "exact", 0.9, 0.0002),
        level(
            "year(dob_l) = year(dob_r) AND month(dob_l) = month(dob_r)", "same month", 0.03, 0.002
        ),
        level("abs(date_diff('day', dob_l, dob_r)) <= 400", "within a year", 0.03, 0.03),
        level("ELSE", "different", 0.04, 0.9678),
    )


def birth_month_year() -> dict[str, Any]:
    return comparison(
        "birth_month_year",
        nulls("birth_year", "birth_month"),
        level(
            "birth_year_l = birth_year_r AND birth_month_l = birth_month_r",
            "same month",
            0.94,
            0.0016,
        ),
        level("birth_year_l = birth_year_r", "same year", 0.03, 0.018),
        level("ELSE", "different", 0.03, 0.9804),
    )


def address() -> dict[str, Any]:
    """One comparison for the whole address (postcode), so a move is not counted twice."""
    return comparison(
        "address",
        nulls("postcode"),
        level("postcode_l = postcode_r", "same postcode", 0.75, 0.0001),
        level("district_l = district_r", "same district", 0.1, 0.02),
        level("ELSE", "different", 0.15, 0.9799),
    )


def exact(name: str, m: float = 0.9, u: float = 0.01) -> dict[str, Any]:
    return comparison(
        name,
        nulls(name),
        level(f"{name}_l = {name}_r", "exact", m, u),
        level("ELSE", "different", 1 - m, 1 - u),
    )


def unit_as_recorded() -> dict[str, Any]:
    """A complainant names the team or the borough; either may match the person's unit."""
    return comparison(
        "unit",
        "(unit_l IS NULL AND command_l IS NULL) OR (unit_r IS NULL AND command_r IS NULL)",
        level("unit_l = unit_r", "same unit", 0.62, 0.03),
        level("unit_l = command_r OR command_l = unit_r", "same command", 0.3, 0.25),
        level("ELSE", "different", 0.08, 0.72),
    )


def login_convention(fit_share: float = 0.95) -> dict[str, Any]:
    """Where a force builds logins from the surname and initial, a login that does not fit the
    name is evidence against; a legacy login usually wraps the person's current one
    ('LSMYTHJ04' and 'SMYTHJ04').

    `fit_share` is the share of this force's logins that fit their holder's name, measured on
    each run from the logins that carry a person id (`tasks.login_fit_share_sql`): where
    logins are numbers ('PN74048'), not fitting says nothing, and is given no weight against."""
    both = "login_l IS NOT NULL AND login_r IS NOT NULL"
    wraps = f"{both} AND (contains(login_l, login_r) OR contains(login_r, login_l))"
    fits = min(max(fit_share, 0.0), 0.95)
    return comparison(
        "login",
        nulls("stem"),
        level(wraps, "wraps their login", 0.7 * fits / 0.95, 0.00002),
        level(
            "contains(stem_l, stem_r) OR contains(stem_r, stem_l)",
            "login fits the name",
            0.25 * fits / 0.95,
            0.002,
        ),
        level("ELSE", "does not fit", 1 - fits, 0.99798),
    )


def served_when_created() -> dict[str, Any]:
    """An account is created while its holder serves."""
    inside = (
        "(created_l BETWEEN start_r AND coalesce(leave_r, created_l)) OR "
        "(created_r BETWEEN start_l AND coalesce(leave_l, created_r))"
    )
    # Most log-ins are made in a new starter's first weeks; few strangers started then.
    first_weeks = (
        "(created_l BETWEEN start_r AND CAST(start_r AS DATE) + INTERVAL 31 DAY) OR "
        "(created_r BETWEEN start_l AND CAST(start_l AS DATE) + INTERVAL 31 DAY)"
    )
    return comparison(
        "service",
        "(created_l IS NULL AND created_r IS NULL) OR (start_l IS NULL AND start_r IS NULL)",
        level(first_weeks, "created in their first weeks", 0.4, 0.01),
        level(inside, "created during service", 0.57, 0.59),
        level("ELSE", "created outside service", 0.03, 0.4),
    )
