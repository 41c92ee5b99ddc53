"""How a name as recorded on a complaint is read: its rank, spelled as HR spells it."""

from __future__ import annotations

import duckdb
import pytest

from probity.resolve.standardise import recorded_rank


@pytest.mark.parametrize(
    ("as_recorded", "rank"),
    [
        ("Sgt  Chadfield", "PS"),  # complaint forms write "Sgt"; HR writes "PS"
        ("PS Chadfield", "PS"),
        ("pc J Smith", "PC"),
        ("DS Jones", "DS"),
        ("Officer Smith", None),
        ("Sergeant Smith", None),  # not an abbreviation HR or the forms use
        (None, None),
    ],
)
def test_recorded_rank_is_spelled_as_hr_spells_it(
    as_recorded: str | None, rank: str | None
) -> None:
    sql = f"SELECT {recorded_rank('x')} FROM (SELECT CAST(? AS VARCHAR) AS x)"
    assert duckdb.connect().execute(sql, [as_recorded]).fetchone() == (rank,)
