"""Units and people: a London-style force with basic command units, specialist units, a staff
mix and a rank pyramid."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from probity.synth.names import AREA_OUTWARD, addresses, draw_forenames, draw_surnames, postcodes
from probity.synth.settings import WorldSettings

BCU_CODES = ("CW", "CN", "CE", "CS", "EA", "NA", "NE", "NW", "SN", "SE", "SW", "WA")

# (role, unit kind, share) per staff type.
ROLE_MIX = {
    "officer": (
        ("Response", "response", 0.36),
        ("Neighbourhood", "neighbourhood", 0.22),
        ("CID", "investigation", 0.22),
        ("Public order", "public_order", 0.08),
        ("Custody", "custody", 0.05),
        ("Intelligence", "intelligence", 0.04),
        ("Professional standards", "professional_standards", 0.03),
    ),
    "staff": (
        ("Call handler", "support", 0.32),
        ("Intelligence analyst", "intelligence", 0.14),
        ("Detention officer", "custody", 0.10),
        ("Business support", "support", 0.38),
        ("Professional standards", "professional_standards", 0.06),
    ),
    "pcso": (("Neighbourhood", "neighbourhood", 1.0),),
    "special": (("Response", "response", 0.6), ("Neighbourhood", "neighbourhood", 0.4)),
}
STAFF_TYPE_MIX = (("officer", 0.70), ("staff", 0.24), ("pcso", 0.03), ("special", 0.03))
OFFICER_RANKS = (
    ("PC", 0.74),
    ("PS", 0.15),
    ("Insp", 0.06),
    ("CI", 0.03),
    ("Supt", 0.015),
    ("ChSupt", 0.005),
)
DETECTIVE = {"PC": "DC", "PS": "DS", "Insp": "DI", "CI": "DCI"}
STAFF_BANDS = (("Band E", 0.45), ("Band D", 0.35), ("Band C", 0.15), ("Band B", 0.05))
# Workforce ethnicity and sex shares, roughly those a large English force publishes.
ETHNICITY_MIX = (
    ("White", 0.78),
    ("Asian", 0.09),
    ("Black", 0.06),
    ("Mixed", 0.04),
    ("Other", 0.015),
    ("Not stated", 0.015),
)
REQUIRED_VETTING = {
    "response": "NPPV2",
    "neighbourhood": "NPPV2",
    "investigation": "NPPV2",
    "public_order": "NPPV2",
    "custody": "NPPV2",
    "support": "NPPV2",
    "intelligence": "NPPV3",
    "professional_standards": "NPPV3",
}
UNIT_ABBR = {
    "response": "RT",
    "neighbourhood": "NH",
    "investigation": "CID",
    "custody": "CUS",
    "support": "SUP",
}


def _draw(rng: np.random.Generator, mix: tuple[tuple[str, float], ...], n: int) -> np.ndarray:
    labels = np.array([m[0] for m in mix])
    p = np.array([m[1] for m in mix], dtype=float)
    return rng.choice(labels, size=n, p=p / p.sum())


@dataclass
class Units:
    code: np.ndarray
    name: np.ndarray
    command: np.ndarray
    kind: np.ndarray
    bcu: np.ndarray  # index into AREA_OUTWARD, -1 for force-wide units

    @property
    def required_vetting(self) -> np.ndarray:
        return np.array([REQUIRED_VETTING[k] for k in self.kind])


def make_units(n_people: int) -> Units:
    n_bcu = int(np.clip(n_people // 3500, 2, len(BCU_CODES)))
    rows: list[tuple[str, str, str, str, int]] = []
    for b in range(n_bcu):
        area = AREA_OUTWARD[b][0]
        for kind, abbr in UNIT_ABBR.items():
            rows.append(
                (f"{BCU_CODES[b]}{abbr}", f"{area} {kind.replace('_', ' ')}", area, kind, b)
            )
    n_tsg = max(1, n_people // 6000)
    for i in range(n_tsg):
        rows.append(
            (
                f"TSG{i + 1}",
                f"Territorial Support Group {i + 1}",
                "Met Operations",
                "public_order",
                -1,
            )
        )
    for i in range(max(1, n_people // 10000)):
        rows.append(
            (f"INT{i + 1}", f"Intelligence Hub {i + 1}", "Specialist Crime", "intelligence", -1)
        )
    rows.append(
        (
            "PSD",
            "Directorate of Professional Standards",
            "Professionalism",
            "professional_standards",
            -1,
        )
    )
    rows.append(("MCC", "Met Command and Control", "Met Operations", "support", -1))
    cols = list(zip(*rows, strict=True))
    return Units(
        code=np.array(cols[0]),
        name=np.array(cols[1]),
        command=np.array(cols[2]),
        kind=np.array(cols[3]),
        bcu=np.array(cols[4], dtype=np.int64),
    )


@dataclass
class People:
    person_id: np.ndarray
    warrant_number: np.ndarray  # object, None for non-officers
    surname: np.ndarray
    forenames: np.ndarray
    date_of_birth: np.ndarray  # datetime64[D]
    sex: np.ndarray  # object, None where not recorded
    ethnicity: np.ndarray
    staff_type: np.ndarray
    rank: np.ndarray
    role: np.ndarray
    unit: np.ndarray  # index into Units
    start_date: np.ndarray
    leave_date: np.ndarray  # NaT while serving
    home_postcode: np.ndarray
    home_address: np.ndarray

    def __len__(self) -> int:
        return len(self.person_id)


def _unique_numbers(rng: np.random.Generator, n: int, low: int, high: int) -> np.ndarray:
    return rng.choice(np.arange(low, high), size=n, replace=False)


def _mix(
    shares: dict[str, float] | None, default: tuple[tuple[str, float], ...]
) -> tuple[tuple[str, float], ...]:
    return default if shares is None else tuple(shares.items())


def make_people(
    rng: np.random.Generator,
    n: int,
    units: Units,
    start: np.datetime64,
    end: np.datetime64,
    world: WorldSettings | None = None,
) -> People:
    world = world or WorldSettings()
    staff_type = _draw(rng, _mix(world.staff_type_mix, STAFF_TYPE_MIX), n)
    role = np.empty(n, dtype=object)
    kind = np.empty(n, dtype=object)
    for st, mix in ROLE_MIX.items():
        idx = np.flatnonzero(staff_type == st)
        weights = np.array([m[2] * world.role_weights.get(m[0], 1.0) for m in mix])
        pick = rng.choice(len(mix), size=len(idx), p=weights / weights.sum())
        role[idx] = np.array([m[0] for m in mix])[pick]
        kind[idx] = np.array([m[1] for m in mix])[pick]

    unit = np.empty(n, dtype=np.int64)
    for k in np.unique(kind.astype(str)):
        idx = np.flatnonzero(kind == k)
        candidates = np.flatnonzero(units.kind == k)
        unit[idx] = rng.choice(candidates, size=len(idx))

    rank = np.empty(n, dtype=object)
    officers = staff_type == "officer"
    rank[officers] = _draw(rng, OFFICER_RANKS, int(officers.sum()))
    cid = officers & (role == "CID")
    rank[cid] = [DETECTIVE.get(r, r) for r in rank[cid]]
    staff = staff_type == "staff"
    rank[staff] = _draw(rng, STAFF_BANDS, int(staff.sum()))
    rank[staff_type == "pcso"] = "PCSO"
    rank[staff_type == "special"] = "SC"

    ethnicity = _draw(rng, _mix(world.ethnicity_mix, ETHNICITY_MIX), n).astype(object)
    for st, own in world.ethnicity_by_staff_type.items():
        idx = np.flatnonzero(staff_type == st)
        ethnicity[idx] = _draw(rng, tuple(own.items()), len(idx))
    female_share = np.where(officers, 0.31, 0.58)
    for st, share in world.female_share.items():
        female_share = np.where(staff_type == st, share, female_share)
    sex = np.where(rng.random(n) < female_share, "F", "M").astype(object)
    sex[rng.random(n) < 0.002] = "X"
    sex[rng.random(n) < 0.005] = None

    age_days = rng.integers(19 * 365, 60 * 365, n)
    dob = end - age_days.astype("timedelta64[D]")
    service_days = np.minimum(rng.exponential(9 * 365, n).astype(np.int64), age_days - 18 * 365)
    start_date = end - service_days.astype("timedelta64[D]")
    # Joiners and leavers within the period, about 7% a year each way.
    span = int((end - start) / np.timedelta64(1, "D"))
    years = span / 365
    leaving = rng.random(n) < 0.07 * years
    leave_date = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    leave_date[leaving] = start + rng.integers(30, span, int(leaving.sum())).astype(
        "timedelta64[D]"
    )
    leave_date = np.where(leave_date <= start_date, np.datetime64("NaT"), leave_date)

    warrant = np.full(n, None, dtype=object)
    warrant[officers] = _unique_numbers(rng, int(officers.sum()), 100000, 999999).astype(str)
    person_id = np.char.add("E", _unique_numbers(rng, n, 1000000, 9999999).astype(str))

    bcu = units.bcu[unit]
    bcu = np.where(bcu < 0, rng.integers(0, int(units.bcu.max()) + 1, n), bcu)
    outward = np.array([rng.choice(AREA_OUTWARD[b][1]) for b in bcu])
    forenames = draw_forenames(rng, n)
    return People(
        person_id=person_id,
        warrant_number=warrant,
        surname=draw_surnames(rng, n),
        forenames=forenames,
        date_of_birth=dob,
        sex=sex,
        ethnicity=ethnicity,
        staff_type=staff_type,
        rank=rank,
        role=role,
        unit=unit,
        start_date=start_date,
        leave_date=leave_date,
        home_postcode=postcodes(rng, outward),
        home_address=addresses(rng, n),
    )
