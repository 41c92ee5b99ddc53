"""The policy file a force's governance board signs off: detector thresholds (and, as they
arrive, roles, purposes and retention). Validated; unknown keys are rejected."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from probity.detectors.registry import all_detectors

POLICY_FILE = "policy.yaml"


class DetectorPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    enabled: bool = True
    thresholds: dict[str, float] = Field(default_factory=dict)


class Policy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    detectors: dict[str, DetectorPolicy] = Field(default_factory=dict)
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
