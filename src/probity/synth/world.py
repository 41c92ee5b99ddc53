"""The state a synthetic force is built from, shared by the generators and the planted cases."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from probity.synth.activity import Incidents, RecordSubjects
from probity.synth.duty import CODE, Spell
from probity.synth.lookups import LogBlock
from probity.synth.organisation import People, Units
from probity.synth.settings import WorldSettings


@dataclass
class World:
    rng: np.random.Generator
    day0: np.datetime64
    days: int
    units: Units
    people: People
    employed: np.ndarray
    duty: np.ndarray
    spells: list[Spell]
    subjects: RecordSubjects
    incidents: Incidents
    account_of: np.ndarray  # person index -> index of their own account
    accounts: dict[str, list[Any]]
    nok: dict[str, list[Any]]
    manager: np.ndarray  # person index -> manager person index, -1 for none
    person_bcu: np.ndarray  # person index -> area (force-wide units get a home area)
    # What kind of force this is (`settings.py`).
    settings: WorldSettings = field(default_factory=WorldSettings)
    # Rows added by the planted cases and decoys, merged into the tables when written.
    extra_lookups: list[LogBlock] = field(default_factory=list)
    extra_rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    planted: list[dict[str, Any]] = field(default_factory=list)
    decoys: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    # Per-person rate multipliers ("complaints", "searches", "force") set by plants and decoys.
    multipliers: dict[str, np.ndarray] = field(default_factory=dict)
    # person index -> (vetting level, status, expiry day) replacing the routine vetting record.
    vetting_override: dict[int, tuple[str, str, int]] = field(default_factory=dict)
    # person index -> (share of searches with an outcome other than no further action, share of
    # people searched who are Black), replacing the force-wide mix for that officer's searches.
    search_profile: dict[int, tuple[float, float]] = field(default_factory=dict)
    # Badge swipes generated alongside other records (column -> array), added to building_access.
    badge_blocks: list[dict[str, np.ndarray]] = field(default_factory=list)
    # People whose look-ups never cite the incident they are for.
    never_cite: set[int] = field(default_factory=set)
    # person index -> rostered days that left no trace of them: no badge swipe, no look-up.
    unseen_days: dict[int, np.ndarray] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.people)

    def date(self, day: int) -> np.datetime64:
        return self.day0 + np.timedelta64(int(day), "D")

    def add_row(self, table: str, row: dict[str, Any]) -> None:
        self.extra_rows.setdefault(table, []).append(row)

    def plant(
        self, person: int, concern: str, typology: str, detail: str, unit_code: str | None = None
    ) -> None:
        self.planted.append(
            {
                "person_id": str(self.people.person_id[person]),
                "concern": concern,
                "typology": typology,
                "detail": detail,
                "unit_code": unit_code,
            }
        )

    def decoy(self, person: int, looks_like: str, detail: str) -> None:
        self.decoys.append(
            {
                "person_id": str(self.people.person_id[person]),
                "looks_like": looks_like,
                "detail": detail,
            }
        )

    def multiplier(self, name: str) -> np.ndarray:
        if name not in self.multipliers:
            self.multipliers[name] = np.ones(self.n)
        return self.multipliers[name]

    def duty_as_seen(self) -> np.ndarray:
        """The roster as badge readers and police systems saw it: unseen days are days off."""
        if not self.unseen_days:
            return self.duty
        seen = self.duty.copy()
        for person, days in self.unseen_days.items():
            seen[person, days] = CODE["rest_day"]
        return seen

    def kind_of(self, person: int) -> str:
        return str(self.units.kind[self.people.unit[person]])

    def serving_on(self, person: int, day: int) -> bool:
        return bool(self.employed[person, day])
