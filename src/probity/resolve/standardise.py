"""SQL for cleaning values before they are compared: the same on both sides of every link."""

from __future__ import annotations

from probity.resolve.nicknames import NICKNAMES


def norm(col: str) -> str:
    """Lower case, letters only."""
    return f"nullif(regexp_replace(lower({col}), '[^a-z]', '', 'g'), '')"


def first_name(col: str) -> str:
    """The first of several forenames, normalised."""
    return norm(f"split_part(trim({col}), ' ', 1)")


def full_forenames(col: str) -> str:
    return f"nullif(regexp_replace(lower(trim({col})), '[^a-z ]', '', 'g'), '')"


def postcode(col: str) -> str:
    """Upper case without spaces: 'se13 5ab' and 'SE13 5AB' agree."""
    return f"nullif(upper(replace(trim({col}), ' ', '')), '')"


def district(col: str) -> str:
    """The outward code of a UK postcode (the part before the space), e.g. SE13."""
    return f"nullif(upper(split_part(trim({col}), ' ', 1)), '')"


def plausible_birth_date(col: str) -> str:
    """A date of birth in the future or before 1900 is a keying error: compare nothing."""
    return f"CASE WHEN {col} BETWEEN DATE '1900-01-01' AND current_date THEN {col} END"


def canonical_forename(expr: str) -> str:
    """A nickname mapped to its usual full form ('jon' → 'john'), else the name itself."""
    cases = " ".join(f"WHEN '{nick}' THEN '{full}'" for nick, full in NICKNAMES.items())
    return f"CASE {expr} {cases} ELSE {expr} END"
