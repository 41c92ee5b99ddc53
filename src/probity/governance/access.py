"""Who may do what, for which purpose: the one place to read it.

Two purposes are kept apart: professional standards and welfare. Each role works for at most
one of them, sees only that purpose's queue and evidence, and only the welfare purpose sees
health data. The auditor sees who did what (the audit log), not case content. The
administrator runs the pipeline and configures the workspace, and sees no case content either.

The command line, the HTTP API and the web pages all call `require` before acting.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    psd_analyst = "psd_analyst"
    psd_investigator = "psd_investigator"
    welfare_officer = "welfare_officer"
    auditor = "auditor"
    administrator = "administrator"
    # A workspace with no users file: one person evaluating Probity on their own machine,
    # allowed everything (and still audited). Configure users before real use.
    single_user = "single_user"


class Action(StrEnum):
    view_queue = "view_queue"
    view_person = "view_person"
    view_health = "view_health"
    reveal = "reveal"
    export = "export"
    decide = "decide"
    review_links = "review_links"
    view_report = "view_report"
    view_transparency = "view_transparency"
    view_audit = "view_audit"
    run = "run"
    configure = "configure"
    apply_retention = "apply_retention"


PROFESSIONAL_STANDARDS = "professional_standards"
WELFARE = "welfare"
PURPOSES = (PROFESSIONAL_STANDARDS, WELFARE)

ROLE_PURPOSES: dict[Role, frozenset[str]] = {
    Role.psd_analyst: frozenset({PROFESSIONAL_STANDARDS}),
    Role.psd_investigator: frozenset({PROFESSIONAL_STANDARDS}),
    Role.welfare_officer: frozenset({WELFARE}),
    Role.auditor: frozenset(),
    Role.administrator: frozenset(),
    Role.single_user: frozenset(PURPOSES),
}

_CASEWORK = {Action.view_queue, Action.view_person, Action.reveal, Action.export}
_EVERYONE = {Action.view_report, Action.view_transparency}

ALLOWED: dict[Role, frozenset[Action]] = {
    Role.psd_analyst: frozenset(_CASEWORK | _EVERYONE | {Action.review_links}),
    Role.psd_investigator: frozenset(_CASEWORK | _EVERYONE | {Action.review_links, Action.decide}),
    Role.welfare_officer: frozenset(_CASEWORK | _EVERYONE | {Action.decide, Action.view_health}),
    Role.auditor: frozenset(_EVERYONE | {Action.view_audit}),
    Role.administrator: frozenset(
        _EVERYONE | {Action.run, Action.configure, Action.apply_retention}
    ),
    Role.single_user: frozenset(Action),
}

# Actions that act on a purpose's cases: the role must also serve that purpose.
PURPOSE_BOUND = frozenset(
    {
        Action.view_queue,
        Action.view_person,
        Action.view_health,
        Action.reveal,
        Action.export,
        Action.decide,
    }
)


class AccessDenied(Exception):
    pass


@dataclass(frozen=True)
class Principal:
    name: str
    role: Role

    @property
    def purposes(self) -> frozenset[str]:
        return ROLE_PURPOSES[self.role]

    def can(self, action: Action, purpose: str | None = None) -> bool:
        if action not in ALLOWED[self.role]:
            return False
        if action in PURPOSE_BOUND:
            return purpose in self.purposes if purpose else bool(self.purposes)
        return True

    def require(self, action: Action, purpose: str | None = None) -> None:
        if not self.can(action, purpose):
            scope = f" for {purpose.replace('_', ' ')}" if purpose else ""
            raise AccessDenied(
                f"{self.name} ({self.role.value.replace('_', ' ')}) may not "
                f"{action.value.replace('_', ' ')}{scope}"
            )
