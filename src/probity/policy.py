"""The policy file a force's governance board signs off: detector thresholds (and, as they
arrive, roles, purposes and retention). Validated; unknown keys are rejected."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from probity.detectors.registry import all_detectors
from probity.model.early_warning import ALLEGATION_VOLUME, ModelSettings

POLICY_FILE = "policy.yaml"


class DetectorPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    enabled: bool = True
    thresholds: dict[str, float] = Field(default_factory=dict)


class LinkThresholds(BaseModel):
    model_config = ConfigDict(extra="forbid")
    match_threshold: float | None = Field(default=None, gt=0, le=1)
    review_threshold: float | None = Field(default=None, gt=0, le=1)


class LinkagePolicy(BaseModel):
    """Match probabilities: at or above `match_threshold` a link is made; between the two
    thresholds it goes to clerical review; below `review_threshold` it is dropped."""

    model_config = ConfigDict(extra="forbid")
    match_threshold: float = Field(default=0.95, gt=0, le=1)
    review_threshold: float = Field(default=0.5, gt=0, le=1)
    # How much more likely (log2 of the odds) the best candidate must be than the next.
    ambiguity_margin: float = Field(default=6.0, ge=0)
    tasks: dict[str, LinkThresholds] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _ordered(self) -> LinkagePolicy:
        from probity.resolve.tasks import all_tasks

        known = {t.name for t in all_tasks()}
        for name in self.tasks:
            if name not in known:
                raise ValueError(
                    f"unknown linkage task {name!r}; known: {', '.join(sorted(known))}"
                )
        for task in [None, *self.tasks]:
            match, review = self.thresholds(task)
            if review > match:
                raise ValueError(
                    f"review_threshold above match_threshold for {task or 'all tasks'}"
                )
        return self

    def thresholds(self, task: str | None) -> tuple[float, float]:
        from probity.resolve.tasks import task_defaults

        override = self.tasks.get(task) if task else None
        task_default = task_defaults().get(task) if task else None
        match = (
            override.match_threshold
            if override and override.match_threshold
            else task_default or self.match_threshold
        )
        review = (
            override.review_threshold
            if override and override.review_threshold
            else self.review_threshold
        )
        return match, review


class ModelPolicy(BaseModel):
    """The early-warning model: what it predicts over, and who it flags."""

    model_config = ConfigDict(extra="forbid")
    enabled: bool = True
    horizon_months: int = Field(default=12, ge=1, description="label window after each cutoff")
    step_months: int = Field(default=3, ge=1, description="months between training cutoffs")
    warmup_months: int = Field(default=3, ge=0, description="history before the first cutoff")
    top_share: float = Field(default=0.01, gt=0, le=1, description="share of people flagged")
    min_probability: float = Field(
        default=0.05, ge=0, le=1, description="calibrated probability below which none is flagged"
    )
    # Raw allegation volumes carry the historic over-reporting of some groups (Casey Review);
    # measured at Met scale, a model using them flagged Black officers at 1.9× the workforce
    # rate and over-predicted their outcomes 1.5×. Outcomes (upheld, substantiated) stay in.
    exclude: list[str] = Field(
        default_factory=lambda: list(ALLEGATION_VOLUME),
        description="feature kinds left out of the model (see docs/model.md)",
    )

    def settings(self) -> ModelSettings:
        return ModelSettings(
            horizon_months=self.horizon_months,
            step_months=self.step_months,
            warmup_months=self.warmup_months,
            top_share=self.top_share,
            min_probability=self.min_probability,
            exclude=tuple(self.exclude),
        )


class RetentionPolicy(BaseModel):
    """How long what nobody acted on is kept (see governance/retention.py)."""

    model_config = ConfigDict(extra="forbid")
    signal_days: int = Field(
        default=365,
        ge=1,
        description="signals nobody decided on expire this long after their evidence ends",
    )
    no_further_action_days: int = Field(
        default=365, ge=1, description="no-further-action decisions are removed after this long"
    )


class TransparencyPolicy(BaseModel):
    """Who answers for the deployment, for the Algorithmic Transparency Recording Standard."""

    model_config = ConfigDict(extra="forbid")
    organisation: str = "Not yet recorded: set transparency.organisation in the policy file"
    team: str = "Not yet recorded: set transparency.team in the policy file"
    senior_responsible_owner: str = (
        "Not yet recorded: set transparency.senior_responsible_owner in the policy file"
    )
    contact: str = "Not yet recorded: set transparency.contact in the policy file"
    phase: str = Field(default="pilot", description="pre-deployment, pilot, production or retired")


class FairnessPolicy(BaseModel):
    """What a fairness alert on a queue does (see ranking/gate.py)."""

    model_config = ConfigDict(extra="forbid")
    on_alert: Literal["hold", "report"] = Field(
        default="hold",
        description="hold: the detector behind an alert is held out of the queue for review",
    )
    min_share: float = Field(
        default=0.5,
        gt=0,
        le=1,
        description="share of an alert's excess a detector must carry to be held",
    )


class IngestPolicy(BaseModel):
    """What a run accepts from the exports (see ingest/shrink.py)."""

    model_config = ConfigDict(extra="forbid")
    max_shrink: float = Field(
        default=0.5,
        gt=0,
        le=1,
        description="largest drop in any table's records against the last good run that a "
        "run accepts without --accept-shrink",
    )


class AccessPolicy(BaseModel):
    """What lets a user open a person who is in none of their purpose's queues (web/site.py)."""

    model_config = ConfigDict(extra="forbid")
    outside_queue_reference: str = Field(
        default=r"^[A-Z]{2,6}[/-]\d{2,4}[/-]\d{1,7}\b",
        description="a regular expression the reason must start with: a case reference "
        "(e.g. PSD/2026/0147) that an auditor can check",
    )
    outside_queue_example: str = "PSD/2026/0147"

    @model_validator(mode="after")
    def _compiles(self) -> AccessPolicy:
        import re

        try:
            re.compile(self.outside_queue_reference)
        except re.error as e:
            raise ValueError(
                f"access.outside_queue_reference is not a regular expression: {e}"
            ) from e
        return self


class Policy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    access: AccessPolicy = Field(default_factory=AccessPolicy)
    ingest: IngestPolicy = Field(default_factory=IngestPolicy)
    detectors: dict[str, DetectorPolicy] = Field(default_factory=dict)
    linkage: LinkagePolicy = Field(default_factory=LinkagePolicy)
    model: ModelPolicy = Field(default_factory=ModelPolicy)
    retention: RetentionPolicy = Field(default_factory=RetentionPolicy)
    fairness: FairnessPolicy = Field(default_factory=FairnessPolicy)
    transparency: TransparencyPolicy = Field(default_factory=TransparencyPolicy)
    runs_kept: int = Field(
        default=3, ge=1, description="good runs kept in the workspace, current included"
    )

    @model_validator(mode="after")
    def _known_detectors(self) -> Policy:
        catalogue = {d.name: d for d in all_detectors()}
        for name, dp in self.detectors.items():
            if name not in catalogue:
                raise ValueError(
                    f"unknown detector {name!r}; known: {', '.join(sorted(catalogue))}"
                )
            catalogue[name].params(dp.thresholds)  # rejects unknown thresholds
        return self

    def thresholds(self, detector: str) -> dict[str, float]:
        dp = self.detectors.get(detector)
        return dict(dp.thresholds) if dp else {}

    def enabled(self, detector: str) -> bool:
        dp = self.detectors.get(detector)
        return dp.enabled if dp else True


def load_policy(path: Path | None) -> Policy:
    if path is None or not path.exists():
        return Policy()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return Policy.model_validate(data)
