"""What a run gives back (the output contract, version 1), written down as data.

People, scripts and evaluation sets outside the repository read results through these commands
and columns, so they only grow. The CLI is tested against this list, and `docs/contract.md` is
generated from it with the input layout (`contract/tables.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Purpose = Literal["professional_standards", "welfare"]
PURPOSES: tuple[Purpose, ...] = ("professional_standards", "welfare")


@dataclass(frozen=True)
class Command:
    usage: str  # as a user types it; [..] marks what may be left out
    does: str

    @property
    def name(self) -> str:
        """The command's name, e.g. "queue"."""
        return self.usage.split()[1]

    @property
    def options(self) -> tuple[str, ...]:
        """Every `--option` the usage names."""
        return tuple(
            w.strip("[]").split("=")[0] for w in self.usage.split() if w.strip("[").startswith("--")
        )


COMMANDS: tuple[Command, ...] = (
    Command(
        "probity run SOURCE_DIR [--workspace DIR]",
        "Ingest a folder laid out as in the input layout below, resolve identities, run every "
        "detector whose inputs are present, score, and publish the result into the workspace "
        "(default `./probity-workspace`). Progress is shown while it works; at the end it "
        "prints a run report: rows read, loaded and quarantined per table (with reasons), "
        "identities resolved, detectors run or skipped (and why), signals raised, fairness "
        "alerts. Exit 0 on success; a clear message and a non-zero exit on failure, with the "
        "previously published result left intact.",
    ),
    Command(
        "probity queue [--workspace DIR] [--purpose professional_standards|welfare] "
        "[--limit N] [--format table|csv|json] [--reveal --reason TEXT]",
        "The review queue, highest priority first.",
    ),
    Command(
        "probity report [--workspace DIR] [--run RUN_ID] [--format text|json]",
        "The report of the current (or a given) run. The JSON holds at least: `run_id`, "
        "`status`, `started_at`, `finished_at`; `tables`: for each table `rows_read`, "
        "`rows_loaded`, `rows_quarantined` and `quarantine_reasons` (reason → count), where "
        "read = loaded + quarantined; `detectors`: for each detector `status` (`ran` or "
        "`skipped`), `reason` when skipped, and `signals`; `fairness`: the audit's ratios and "
        "alerts.",
    ),
    Command("probity serve [--workspace DIR]", "The web application and its HTTP API."),
    Command(
        "probity synth --people N --years Y --seed S --out DIR",
        "Write a synthetic force in the input layout, with its planted ground truth beside it.",
    ),
)


@dataclass(frozen=True)
class QueueColumn:
    name: str
    meaning: str


QUEUE_COLUMNS: tuple[QueueColumn, ...] = (
    QueueColumn("rank", "1 is reviewed first"),
    QueueColumn("subject", "a stable pseudonym of the person; with `--reveal` the HR person_id"),
    QueueColumn("purpose", "`professional_standards` or `welfare`"),
    QueueColumn("priority", "a number, higher first; comparable within one run"),
    QueueColumn("concerns", "`;` list from the concern vocabulary, strongest first"),
    QueueColumn("signals", "how many signals back the entry"),
    QueueColumn("reason", "one sentence a reviewer can check against the evidence"),
)

# Concern → what it covers. Every detector names one (`detectors/base.py` checks it).
CONCERNS: dict[str, str] = {
    "information_misuse": "look-ups with no policing purpose: relatives, partners, neighbours, "
    "colleagues, high-profile people, repeated browsing of one record",
    "abuse_of_position_sexual": "signs of pursuing victims or vulnerable people met on duty",
    "corrupt_association": "ties to organised-crime nominals or others of interest to police, "
    "and look-ups of them",
    "undeclared_interest": "business interests, secondary employment or associations not declared",
    "claims_and_attendance": "overtime, expenses and absence that do not square with rosters, "
    "activity or each other",
    "complaint_pattern": "complaints and allegations beyond what comparable duties explain, or "
    "with a repeated theme",
    "use_of_powers": "use of force or stop and search out of line with peers doing comparable work",
    "vetting_compliance": "posted above the vetting held, or vetting lapsed",
    "welfare": "fatigue, traumatic exposure, sickness patterns: for the welfare purpose only",
    "team_culture": "a unit or network of people whose signals cluster (reported per unit)",
}
