"""SQL for cleaning values before they are compared: the same on both sides of every link."""

from __future__ import annotations

from probity.resolve.nicknames import forms


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


def forename_forms(expr: str) -> str:
    """The forms a forename may stand for (`resolve/nicknames.py`) as a SQL list: 'sam' →
    ['sam', 'samantha', 'samuel', …], 'mohamed' → every spelling; a name with no other forms,
    itself alone."""
    entries = ", ".join(
        f"'{name}': [{', '.join(repr(f) for f in names)}]" for name, names in forms().items()
    )
    return f"coalesce(MAP {{{entries}}}[{expr}], [{expr}])"


def same_forename(left: str, right: str) -> str:
    """SQL: the two forenames are one name written two ways."""
    return f"list_has_any({forename_forms(left)}, {forename_forms(right)})"


# Ranks and titles a complainant may put before a name ("PC J Smyth", "Officer Smyth").
RANKS = ("PC", "PS", "DC", "DS", "INSP", "DI", "CI", "DCI", "SUPT", "CHSUPT", "PCSO", "SC", "SGT")


def name_tokens(col: str) -> str:
    """The words of a name as recorded, without ranks and titles, as a SQL list."""
    tokens = f"string_split(trim(regexp_replace({col}, '\\s+', ' ', 'g')), ' ')"
    ranks = ", ".join(f"'{r}'" for r in RANKS)
    return f"list_filter({tokens}, lambda x: upper(x) NOT IN ({ranks}) AND lower(x) <> 'officer')"


def recorded_rank(col: str) -> str:
    """The rank a name as recorded starts with, upper case and spelled as HR spells it (a
    sergeant is "PS" there, "Sgt" on many complaint forms), if any."""
    first = f"upper(string_split(trim(regexp_replace({col}, '\\s+', ' ', 'g')), ' ')[1])"
    ranks = ", ".join(f"'{r}'" for r in RANKS)
    return (
        f"CASE WHEN {first} IN ('SGT', 'SERGEANT') THEN 'PS' WHEN {first} = 'CONSTABLE' THEN 'PC' "
        f"WHEN {first} = 'INSPECTOR' THEN 'INSP' WHEN {first} IN ({ranks}) THEN {first} END"
    )


def written_surname(col: str) -> str:
    """The surname of a name written 'SURNAME, Forenames' or 'Forenames Surname'."""
    return (
        f"CASE WHEN contains({col}, ',') THEN split_part({col}, ',', 1) "
        f"ELSE regexp_extract(trim({col}), '(\\S+)$', 1) END"
    )


def written_forenames(col: str) -> str:
    """The forenames of a name written 'SURNAME, Forenames' or 'Forenames Surname'."""
    return (
        f"CASE WHEN contains({col}, ',') THEN split_part({col}, ',', 2) "
        f"ELSE regexp_replace(trim({col}), '\\s*\\S+$', '') END"
    )


# Titles and ranks written out that a display name may carry.
TITLES = (
    "mr",
    "mrs",
    "ms",
    "mx",
    "miss",
    "dr",
    "det",
    "detective",
    "constable",
    "sergeant",
    "inspector",
    "staff",
    "member",
)


def display_name_words(col: str) -> str:
    """The words of a display name without ranks, titles, collar numbers or full stops, as a
    SQL list ("PC J. Smith 4471" → ['J', 'Smith'])."""
    cleaned = f"regexp_replace(regexp_replace({col}, '[.,()/]', ' ', 'g'), '\\b\\d+\\b', ' ', 'g')"
    # A staff grade ("Band D") and titles written out are not names either.
    cleaned = f"regexp_replace({cleaned}, '(?i)\\bband\\s+\\S+', ' ', 'g')"
    titles = ", ".join(f"'{t}'" for t in TITLES)
    return f"list_filter({name_tokens(cleaned)}, lambda x: x <> '' AND lower(x) NOT IN ({titles}))"


def surname_comes_first(col: str, first_is_a_surname: str, last_is_a_surname: str) -> str:
    """SQL: a display name is written surname first ('SMITH, John', 'SMITH John', 'Smith J'),
    not forenames first ('John Smith', 'J Smith', 'John SMITH').

    Read from the name itself where it says: a comma, a surname in capitals beside a forename
    that is not, an initial. Otherwise from the workforce: the order whose surname HR holds
    (`first_is_a_surname` / `last_is_a_surname`: SQL true when the first / last word is some
    person's surname); forenames first when neither or both are."""
    words = display_name_words(col)
    first, last = f"{words}[1]", f"{words}[-1]"

    def capitals(w: str) -> str:
        return f"(length({w}) > 1 AND {w} = upper({w}) AND {w} <> lower({w}))"

    return f"""CASE
        WHEN contains({col}, ',') THEN true
        WHEN len({words}) < 2 THEN true
        WHEN {capitals(first)} AND NOT {capitals(last)} THEN true
        WHEN {capitals(last)} AND NOT {capitals(first)} THEN false
        WHEN length({last}) = 1 THEN true
        WHEN length({first}) = 1 THEN false
        WHEN {first_is_a_surname} AND NOT {last_is_a_surname} THEN true
        ELSE false END"""


def recorded_name(col: str) -> dict[str, str]:
    """Surname, first name (when written out) and initial of a name as a complainant or a
    clerk recorded it, in either order: 'PC J Smyth', 'Constable Rajesh Islam', 'JOHNSON,
    Grace', 'Sergeant Hill', 'Ms/Mr Kign'. Ranks, titles and collar numbers are dropped; the
    order is read as `surname_comes_first` reads it from the name alone, forenames first where
    nothing says otherwise (as people write names)."""
    words = display_name_words(col)
    first = surname_comes_first(col, "false", "false")
    others = f"(CASE WHEN {first} THEN {words}[2:] ELSE {words}[1:-1] END)"
    return {
        "surname": norm(f"(CASE WHEN {first} THEN {words}[1] ELSE {words}[-1] END)"),
        "forename": f"(CASE WHEN len({others}) > 0 AND length({others}[1]) > 1 THEN {norm(others + '[1]')} END)",
        "initial": f"(CASE WHEN len({others}) > 0 THEN lower(substr({others}[1], 1, 1)) END)",
    }
