"""How a name as recorded on a complaint is read: its rank, spelled as HR spells it, and its
surname, first name and initial in whichever order it was written."""

from __future__ import annotations

import duckdb
import pytest

from probity.resolve.standardise import recorded_name, recorded_rank


@pytest.mark.parametrize(
    ("as_recorded", "rank"),
    [
        ("Sgt  Chadfield", "PS"),  # complaint forms write "Sgt"; HR writes "PS"
        ("PS Chadfield", "PS"),
        ("pc J Smith", "PC"),
        ("DS Jones", "DS"),
        ("Officer Smith", None),
        ("Sergeant Smith", "PS"),  # written out, as complainants often do
        ("Constable Rajesh Islam", "PC"),
        (None, None),
    ],
)
def test_recorded_rank_is_spelled_as_hr_spells_it(
    as_recorded: str | None, rank: str | None
) -> None:
    sql = f"SELECT {recorded_rank('x')} FROM (SELECT CAST(? AS VARCHAR) AS x)"
    assert duckdb.connect().execute(sql, [as_recorded]).fetchone() == (rank,)


@pytest.mark.parametrize(
    ("as_recorded", "surname", "forename", "initial"),
    [
        ("PC J Smyth", "smyth", None, "j"),
        ("Constable Rajesh Islam", "islam", "rajesh", "r"),
        ("JOHNSON, Grace", "johnson", "grace", "g"),  # surname first, as a clerk writes it
        ("SMITH John", "smith", "john", "j"),  # the surname in capitals
        ("Sergeant Hill", "hill", None, None),
        ("Ms/Mr Kign", "kign", None, None),
        ("staff member S Holroyd", "holroyd", None, "s"),
        ("Ryan Moragn", "moragn", "ryan", "r"),
    ],
)
def test_a_name_as_recorded_is_read_in_either_order(
    as_recorded: str, surname: str, forename: str | None, initial: str | None
) -> None:
    name = recorded_name(f"'{as_recorded}'")
    got = duckdb.sql(f"SELECT {name['surname']}, {name['forename']}, {name['initial']}").fetchall()
    assert got == [(surname, forename, initial)]
