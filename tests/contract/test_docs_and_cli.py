"""The contract page is generated from the code ingest and the CLI are held to; the CLI gives
every command and option the output contract names; the docs link nothing outside the
repository."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from probity.cli import app
from probity.contract.docs import markdown
from probity.contract.outputs import COMMANDS, CONCERNS, QUEUE_COLUMNS
from probity.contract.tables import ABOUT, TABLES
from probity.detectors.registry import all_detectors

ROOT = Path(__file__).parent.parent.parent


def test_docs_contract_is_generated_from_the_code() -> None:
    page = (ROOT / "docs" / "contract.md").read_text()
    assert page == markdown(), "run: probity contract > docs/contract.md"
    for table in TABLES:
        assert f"### `{table.name}`" in page
        for column in table.columns:
            assert f"| `{column.name}` |" in page


def test_every_table_is_described() -> None:
    assert list(ABOUT) == [t.name for t in TABLES]


def test_the_cli_gives_every_command_and_option_of_the_output_contract() -> None:
    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    for command in COMMANDS:
        found = commands.get(command.name)
        assert found is not None, f"probity {command.name} is missing"
        options = {o for p in found.params for o in p.opts}
        missing = set(command.options) - options
        assert not missing, f"probity {command.name} lacks {sorted(missing)}"


def test_the_queue_columns_are_the_contract_s() -> None:
    # Written out here as the output contract states them, so a change to the code is seen.
    assert [c.name for c in QUEUE_COLUMNS] == [
        "rank",
        "subject",
        "purpose",
        "priority",
        "concerns",
        "signals",
        "reason",
    ]


def test_every_detector_names_a_concern_of_the_vocabulary() -> None:
    assert {d.concern for d in all_detectors()} <= set(CONCERNS)


def test_readme_and_docs_link_nothing_outside_the_repository() -> None:
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for target in re.findall(r"\]\(([^)\s]+)\)", page.read_text()):
            assert not re.match(r"[a-z]+:", target), f"{page.name} links to {target}"
            path = (page.parent / target.split("#")[0]).resolve()
            assert path.is_relative_to(ROOT), f"{page.name} links outside: {target}"
            assert path.exists(), f"{page.name} links to a missing {target}"


def test_flags_are_shown_as_flags_not_as_taking_a_value() -> None:
    # Every option of ours that takes no value, in every command and subcommand.
    def commands(group: typer.core.TyperGroup) -> list[typer.core.TyperCommand]:
        found = []
        for c in group.commands.values():
            found += commands(c) if isinstance(c, typer.core.TyperGroup) else [c]
        return found

    top = typer.main.get_command(app)
    assert isinstance(top, typer.core.TyperGroup)
    shown = {
        (c.name, p.opts[0]): p.display_type_rich(typer.Context(c))
        for c in [top, *commands(top)]
        for p in c.params
        if isinstance(p, typer.core.TyperOption) and p.is_flag and p.opts[0] != "--help"
    }
    assert ("queue", "--reveal") in shown and ("", "--version") in shown
    assert not {k: v for k, v in shown.items() if v}, "flags shown as taking a value"
