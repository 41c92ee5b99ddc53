"""Validation as SQL: each contract column becomes a typed expression and the checks on it.

Reasons are categorical ("invalid date in duty_date"), so a run report can count them; the
offending values stay in the quarantined record itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from probity.contract import Column, Reference, TableSpec

DATE_FORMAT = "'%Y-%m-%d'"
DANGLING = "dangling reference"  # the reason a record naming a missing parent key is given
TIMESTAMP_FORMATS = "['%Y-%m-%dT%H:%M:%S', '%Y-%m-%dT%H:%M']"
SQL_TYPES = {
    "string": "VARCHAR",
    "list": "VARCHAR",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "money": "DECIMAL(14,2)",
    "boolean": "BOOLEAN",
}


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def typed(column: Column, raw_type: str | None) -> str:
    """The expression giving a column's value in its contract type, NULL when it will not convert."""
    c = q(column.name)
    target = SQL_TYPES[column.type]
    if raw_type is None:
        return f"CAST(NULL AS {target})"
    text = raw_type == "VARCHAR"
    if column.type in ("string", "list"):
        return c if text else f"CAST({c} AS VARCHAR)"
    if column.type == "date":
        if text:
            return f"CASE WHEN regexp_full_match({c}, '\\d{{4}}-\\d{{2}}-\\d{{2}}') THEN CAST(try_strptime({c}, {DATE_FORMAT}) AS DATE) END"
        return f"TRY_CAST({c} AS DATE)"
    if column.type == "timestamp":
        if text:
            return f"try_strptime({c}, {TIMESTAMP_FORMATS})"
        return f"TRY_CAST({c} AS TIMESTAMP)"
    if column.type == "money" and text:
        return f"CASE WHEN regexp_full_match({c}, '-?\\d+(\\.\\d{{1,2}})?') THEN CAST({c} AS DECIMAL(14,2)) END"
    if column.type == "boolean" and text:
        return f"CASE {c} WHEN 'true' THEN true WHEN 'false' THEN false END"
    return f"TRY_CAST({c} AS {target})"


def row_checks(column: Column, raw_type: str | None) -> list[str]:
    """SQL expressions that give a reason string when the row breaks a rule, else NULL."""
    if raw_type is None:
        return [lit(f"missing required value in {column.name}")] if column.required else []
    c = q(column.name)
    value = typed(column, raw_type)
    checks: list[str] = []
    if column.required:
        checks.append(
            f"CASE WHEN {c} IS NULL THEN {lit('missing required value in ' + column.name)} END"
        )
    if column.type not in ("string", "list"):
        checks.append(
            f"CASE WHEN {c} IS NOT NULL AND ({value}) IS NULL THEN {lit(f'invalid {column.type} in {column.name}')} END"
        )
    if column.vocabulary:
        allowed = ", ".join(lit(v) for v in column.vocabulary)
        if column.type == "list":
            bad = f"len(list_filter(string_split({c}, ';'), lambda x: trim(x) NOT IN ({allowed}))) > 0"
        else:
            bad = f"({value}) NOT IN ({allowed})"
        checks.append(
            f"CASE WHEN {c} IS NOT NULL AND {bad} THEN {lit('unknown value in ' + column.name)} END"
        )
    return checks


@dataclass(frozen=True)
class ReferenceCheck:
    reference: Reference
    parent_keys_sql: str

    def expression(self) -> str:
        r = self.reference
        c = q(r.column)
        condition = f"{c} IS NOT NULL AND {c} NOT IN ({self.parent_keys_sql})"
        if r.when:
            condition = f"({r.when}) AND {condition}"
        reason = lit(f"{DANGLING}: {r.column} not in {r.table}.{r.target}")
        return f"CASE WHEN {condition} THEN {reason} END"


def parent_keys(reference: Reference) -> str:
    """The loaded parent keys a reference may point at; people may be named by warrant number."""
    if reference.person:
        return "SELECT person_id FROM people UNION ALL SELECT warrant_number FROM people WHERE warrant_number IS NOT NULL"
    return f"SELECT {q(reference.target)} FROM {q(reference.table)}"


def duplicate_check(spec: TableSpec, prior: str | None = None) -> str | None:
    """A reason for every record repeating an earlier valid record's key; with `prior` (a
    relation of the keys of records already loaded, `prior_keys`), those count as earlier too."""
    if not spec.key:
        return None
    key = ", ".join(q(k) for k in spec.key)
    reason = lit(f"duplicate key ({', '.join(spec.key)})")
    repeated = (
        f"row_number() OVER (PARTITION BY _row_problem IS NULL, {key} ORDER BY _source_row) > 1"
    )
    if prior:
        same = " AND ".join(f"p.{q(k)} = _checked.{q(k)}" for k in spec.key)
        repeated = f"({repeated} OR EXISTS (SELECT 1 FROM {prior} p WHERE {same}))"
    return f"CASE WHEN _row_problem IS NULL AND {repeated} THEN {reason} END"


def prior_keys(spec: TableSpec, table: str, kept: int, new: str) -> str:
    """SQL: the keys of the first `kept` records of `table` (already loaded) that records of
    `new` repeat. Found from the old side with the few new records' keys in a hash table, and
    the old records outside their range skipped unread: far cheaper, at tens of millions of
    records, than testing each new record against them all."""
    same = " AND ".join(f"p.{q(k)} = n.{q(k)}" for k in spec.key)
    return f"""SELECT DISTINCT {", ".join(f"p.{q(k)}" for k in spec.key)}
               FROM (FROM {table} WHERE _source_row <= {int(kept)}) p SEMI JOIN {new} n ON {same}"""
