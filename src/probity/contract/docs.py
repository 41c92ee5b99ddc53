"""`docs/contract.md`: the input layout and the output contract, written from the data that
ingest and the CLI are held to (`tables.py`, `outputs.py`), so the page cannot drift from them.
Regenerate with `probity contract > docs/contract.md`."""

from __future__ import annotations

from probity.contract.outputs import COMMANDS, CONCERNS, QUEUE_COLUMNS
from probity.contract.tables import ABOUT, TABLES, Column, TableSpec

FOLDER_RULES = """\
A force hands Probity a folder of exports from its own systems, one file per table, named
`<table>.csv` or `<table>.parquet` (either form is valid for every table; a table given in both
forms is an error). Only `people` is required; every other table is optional, and a detector
whose inputs are absent is skipped with the reason in the run report. A deployment whose exports
look different maps them onto this layout; the layout itself only grows, by optional columns and
optional files.

- CSV: UTF-8, comma separated, RFC 4180 quoting, one header row, column order free, unknown
  extra columns kept and ignored. An empty field is null.
- Dates are `YYYY-MM-DD`; timestamps `YYYY-MM-DDTHH:MM[:SS]` in local (UK) time.
- Money is pounds with two decimals. Booleans are `true`/`false`.
- A list inside one field is separated by `;`.
- Where a table has a `person_id` column it holds HR person ids, but it may hold an officer's
  warrant number instead on some rows; complaints name their subject as the complainant
  recorded them; some system accounts have no person id; the company register and police
  records know people by name, date of birth and postcode alone. Resolving these to one person
  is Probity's job, not the exporter's.
- `sex` and `ethnicity` are protected characteristics: Probity uses them only to audit
  fairness, never as inputs to a detector or model.
"""


def _column_row(table: TableSpec, c: Column) -> str:
    notes = []
    if c.required:
        notes.append("required")
    if c.name in table.key:
        notes.append("key")
    for r in table.references:
        if r.column == c.name:
            target = f"`{r.table}.{r.target}`"
            notes.append(f"refers to {target}" + (" (or a warrant number)" if r.person else ""))
    if c.vocabulary:
        notes.append("one of " + ", ".join(f"`{v}`" for v in c.vocabulary))
    if c.protected:
        notes.append("protected characteristic: fairness audit only")
    if c.health:
        notes.append("health data: welfare purpose only")
    if c.feeds:
        notes.append(f"without it, {c.feeds}")
    return f"| `{c.name}` | {c.type} | {'; '.join(notes)} |"


def _table(table: TableSpec) -> list[str]:
    return [
        f"### `{table.name}`" + (" (required)" if table.required else ""),
        "",
        ABOUT[table.name] + f" Processed under {table.regime}.",
        "",
        "| column | type | notes |",
        "|---|---|---|",
        *(_column_row(table, c) for c in table.columns),
        "",
    ]


def markdown() -> str:
    lines = [
        "# The contract: what Probity reads and what it gives back (version 1)",
        "",
        "Generated from `src/probity/contract/` by `probity contract > docs/contract.md`; a test "
        "holds this page to the code. Users' exports and evaluation sets kept elsewhere depend "
        "on it: it only grows.",
        "",
        "## Input: the folder of exports",
        "",
        FOLDER_RULES,
        *(line for t in TABLES for line in _table(t)),
        "## Output: commands",
        "",
        "| command | what it does |",
        "|---|---|",
        *(f"| `{c.usage}` | {c.does} |" for c in COMMANDS),
        "",
        "Other commands (`probity --help`) extend these.",
        "",
        "## Output: the queue, in CSV (`probity queue --format csv`)",
        "",
        "| column | meaning |",
        "|---|---|",
        *(f"| `{c.name}` | {c.meaning} |" for c in QUEUE_COLUMNS),
        "",
        "Identities are pseudonymous unless the caller reveals them with a reason; every reveal "
        "is written to the audit log with who, when, whom and why.",
        "",
        "## Concern vocabulary",
        "",
        "| concern | what it covers |",
        "|---|---|",
        *(f"| `{name}` | {covers} |" for name, covers in CONCERNS.items()),
        "",
    ]
    return "\n".join(lines)
