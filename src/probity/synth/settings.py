"""What kind of force a synthetic world is: the background the detectors were not written for.

`probity synth --world FILE` reads one of these from YAML. Every setting left out keeps the
default force's value, so a world file says only how it differs. Worlds vary the background
(who does which job, how much they look up, what their work brings them to, how often the
public complains and about whom, how well vetting is kept up) and whether anything is planted
(a null world plants nothing and keeps the innocent look-alikes). Unknown keys are rejected.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

Shares = dict[str, float]


class NameHabits(BaseModel):
    """How systems other than HR write a member of the workforce's name: the company register
    and accounts without a person id (`synth/names.py:written_name`), and complainants
    (`synth/conduct.py`)."""

    model_config = ConfigDict(extra="forbid")
    warrant_slip_share: float = Field(
        default=0.0,
        ge=0,
        le=1,
        description="of warrant numbers a complaint records, one keystroke out ('275593')",
    )

    nickname_share: float = Field(
        default=0.0, ge=0, le=1, description="a short form for the forename, where one exists"
    )
    typo_share: float = Field(default=0.0, ge=0, le=1, description="a keyboard slip in the surname")
    forename_first_share: float = Field(
        default=0.0, ge=0, le=1, description="'Sam Harvey' rather than 'HARVEY, Sam'"
    )


class WorldSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(default="default", pattern=r"^[a-z0-9][a-z0-9_-]*$")
    description: str = "the synthetic force Probity's detectors were first written against"
    planted: bool = Field(
        default=True, description="plant cases; a null world plants none and keeps the decoys"
    )
    # Who does which job.
    staff_type_mix: Shares | None = Field(
        default=None, description="shares of officer, staff, pcso and special"
    )
    role_weights: Shares = Field(
        default_factory=dict, description="a role's share within its staff type, multiplied"
    )
    ethnicity_mix: Shares | None = Field(default=None, description="the workforce's, by group")
    ethnicity_by_staff_type: dict[str, Shares] = Field(
        default_factory=dict, description="a staff type's own mix, replacing the workforce's"
    )
    female_share: Shares = Field(default_factory=dict, description="by staff type")
    # How much people look up, and what their work brings them to.
    lookup_volume: float = Field(default=1.0, gt=0, description="every role's daily look-ups, ×")
    lookups_per_day: Shares = Field(
        default_factory=dict, description="a role's look-ups per working day, replacing the default"
    )
    lookup_spread: float = Field(
        default=0.0, ge=0, description="how much people in one role differ (lognormal sigma)"
    )
    high_profile_share: Shares = Field(
        default_factory=dict,
        description="share of a role's routine look-ups of people that are of high-profile records",
    )
    nominal_share: Shares | None = Field(
        default=None,
        description="share of a role's routine look-ups of people that are of organised-crime "
        "nominals (default: 5% for intelligence roles)",
    )
    # The public, the powers, and housekeeping.
    complaint_rate: float = Field(default=1.0, ge=0, description="routine complaints, ×")
    allegation_bias: Shares | None = Field(
        default=None,
        description="over-reporting of allegations by ethnicity (default: the Casey Review's)",
    )
    lapsed_vetting_share: float = Field(
        default=0.0, ge=0, le=1, description="routine clearances that lapse inside the period"
    )
    # How other systems write names.
    name_habits: NameHabits = Field(default_factory=NameHabits)


def load_world(path: Path) -> WorldSettings:
    """A world file, validated; a clear error names the file and the key at fault."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as e:
        raise ValueError(f"{path}: cannot read the world file: {e}") from e
    try:
        return WorldSettings.model_validate(data)
    except ValueError as e:
        raise ValueError(f"{path}: {e}") from e
