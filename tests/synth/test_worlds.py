"""World files change the force the way they say, null worlds plant nothing, and every
committed world is valid."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from probity.synth.force import SynthSpec, build_force
from probity.synth.settings import WorldSettings, load_world
from probity.synth.tables import force_tables

WORLDS = Path(__file__).parents[2] / "worlds"


def _tables(world: WorldSettings, people: int = 400) -> dict[str, pa.Table]:
    force = force_tables(build_force(SynthSpec(people, 1, 8, world)))
    log = pa.Table.from_batches(list(force.streams["access_log"]()))
    return {**force.tables, "access_log": log, "planted": force.truth["planted"]}


def _lookups_per_person(t: dict[str, pa.Table]) -> float:
    return t["access_log"].num_rows / t["people"].num_rows


def test_every_committed_world_is_valid_and_two_are_null() -> None:
    worlds = [load_world(p) for p in sorted(WORLDS.glob("*.yaml"))]
    assert len(worlds) >= 10
    assert len({w.name for w in worlds}) == len(worlds)
    assert sum(not w.planted for w in worlds) >= 2


def test_a_null_world_plants_nothing_and_keeps_the_look_alikes() -> None:
    t = _tables(WorldSettings(name="null", planted=False))
    assert t["planted"].num_rows == 0
    force = build_force(SynthSpec(400, 1, 8, WorldSettings(name="null", planted=False)))
    assert force.decoys


def test_look_up_volume_and_high_profile_work_follow_the_world() -> None:
    usual = _tables(WorldSettings())
    busy = _tables(
        WorldSettings(name="busy", lookup_volume=3, high_profile_share={"Response": 0.05})
    )
    assert 2.5 < _lookups_per_person(busy) / _lookups_per_person(usual) < 3.5
    subjects = busy["record_subjects"]
    famous = pc.filter(
        subjects["subject_id"], pc.match_substring(subjects["flags"].fill_null(""), "high_profile")
    )
    hits = pc.sum(pc.is_in(busy["access_log"]["subject_id"].cast(pa.string()), famous)).as_py()
    usual_hits = pc.sum(
        pc.is_in(usual["access_log"]["subject_id"].cast(pa.string()), famous)
    ).as_py()
    assert hits > 10 * max(usual_hits, 1)


def test_a_staff_type_s_own_ethnic_mix_is_used() -> None:
    world = WorldSettings(
        name="diverse-staff", ethnicity_by_staff_type={"staff": {"Black": 0.5, "White": 0.5}}
    )
    people = _tables(world, 1000)["people"].to_pandas()
    staff = people[people["staff_type"] == "staff"]
    officers = people[people["staff_type"] == "officer"]
    assert 0.4 < float(np.mean(staff["ethnicity"] == "Black")) < 0.6
    assert float(np.mean(officers["ethnicity"] == "Black")) < 0.12


def test_the_register_writes_names_with_the_world_s_habits() -> None:
    usual = _tables(WorldSettings())["company_officers"]["officer_name"].to_pylist()
    habits = load_world(WORLDS / "informal-registers.yaml")
    informal = _tables(habits)["company_officers"]["officer_name"].to_pylist()
    assert all("," in name for name in usual)
    forename_first = sum("," not in name for name in informal) / len(informal)
    assert abs(forename_first - habits.name_habits.forename_first_share) < 0.05


def _recorded_warrants(world: WorldSettings) -> list[tuple[str, str]]:
    """(recorded, true) warrant numbers of the complaints that record one."""
    force = force_tables(build_force(SynthSpec(1000, 1, 8, world)))
    people = force.tables["people"]
    warrant = dict(
        zip(people["person_id"].to_pylist(), people["warrant_number"].to_pylist(), strict=True)
    )
    subject = {
        r["record_id"]: r["person_id"]
        for r in force.truth["identity_links"].to_pylist()
        if r["task"] == "complaint_subject"
    }
    complaints = force.tables["complaints"]
    return [
        (recorded, warrant[subject[cid]])
        for cid, recorded in zip(
            complaints["complaint_id"].to_pylist(),
            complaints["subject_warrant_number"].to_pylist(),
            strict=True,
        )
        if recorded is not None and warrant[subject[cid]] is not None
    ]


def test_complainants_slip_a_digit_of_warrant_numbers_as_often_as_the_world_says() -> None:
    usual = _recorded_warrants(WorldSettings())
    slipping = _recorded_warrants(
        WorldSettings(name="slips", name_habits={"warrant_slip_share": 0.5})
    )
    # Without slips, a recorded number is the subject's or (1 in 20) a stranger's.
    assert sum(r != w for r, w in usual) / len(usual) < 0.1
    near = [r for r, w in slipping if r != w and one_keystroke(r, w)]
    assert 0.35 < len(near) / len(slipping) < 0.6


def one_keystroke(a: str, b: str) -> bool:
    """One digit doubled, dropped, or two neighbours swapped."""
    if abs(len(a) - len(b)) == 1:
        short, long = sorted((a, b), key=len)
        return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))
    return len(a) == len(b) and any(
        a[:i] + a[i + 1] + a[i] + a[i + 2 :] == b for i in range(len(a) - 1)
    )


def test_a_world_file_with_an_unknown_key_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nlookup_volumne: 2\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"(?s)bad\.yaml.*lookup_volumne"):
        load_world(bad)
