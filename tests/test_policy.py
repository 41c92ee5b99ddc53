from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from probity.policy import load_policy


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(text)
    return path


def test_a_missing_policy_file_means_the_documented_defaults(tmp_path: Path) -> None:
    policy = load_policy(tmp_path / "absent.yaml")
    assert policy.linkage.thresholds("system_account") == (0.95, 0.5)
    assert policy.linkage.thresholds("complaint_subject") == (0.8, 0.5)


def test_thresholds_can_be_set_per_detector_and_per_linkage_task(tmp_path: Path) -> None:
    policy = load_policy(
        write(
            tmp_path,
            """
detectors:
  overtime_while_absent:
    thresholds: {min_claims: 3}
linkage:
  match_threshold: 0.9
  tasks:
    complaint_subject: {match_threshold: 0.85, review_threshold: 0.6}
""",
        )
    )
    assert policy.thresholds("overtime_while_absent") == {"min_claims": 3}
    assert policy.linkage.thresholds("complaint_subject") == (0.85, 0.6)
    assert policy.linkage.thresholds("company_officer") == (0.9, 0.5)


@pytest.mark.parametrize(
    "text",
    [
        "detectors: {no_such_detector: {}}",
        "detectors: {overtime_while_absent: {thresholds: {min_clams: 3}}}",
        "linkage: {tasks: {no_such_task: {}}}",
        "linkage: {match_threshold: 0.4, review_threshold: 0.6}",
        "retention_days: 30",
    ],
)
def test_unknown_keys_and_inconsistent_values_are_rejected(tmp_path: Path, text: str) -> None:
    with pytest.raises((ValidationError, ValueError)):
        load_policy(write(tmp_path, text))
