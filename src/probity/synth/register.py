"""The public register of company officers, and the interests people declare."""

from __future__ import annotations

from typing import Any

import numpy as np

from probity.synth.names import draw_forenames, draw_surnames, written_name
from probity.synth.world import World

COMPANY_WORDS = np.array(
    [
        "Acorn",
        "Beacon",
        "Castle",
        "Delta",
        "Eagle",
        "Falcon",
        "Granite",
        "Harbour",
        "Ivory",
        "Juniper",
        "Kestrel",
        "Lumen",
        "Meridian",
        "Northgate",
        "Oakwood",
        "Pioneer",
        "Quayside",
        "Riverside",
        "Summit",
        "Thames",
        "Unity",
        "Vantage",
        "Willow",
        "Zenith",
    ]
)
COMPANY_KINDS = np.array(
    ["Consulting", "Property", "Security", "Trading", "Lettings", "Fitness", "Logistics", "Media"]
)


def officer_name(world: World, surname: str, forenames: str) -> str:
    """The register's entry for a name, as the world's habits write it."""
    return written_name(world.rng, surname, forenames, world.settings.name_habits)


def company(rng: np.random.Generator, serial: int) -> tuple[str, str]:
    name = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_KINDS)} Ltd"
    return f"{10000000 + serial:08d}", name


def background_register(world: World, n: int) -> dict[str, Any]:
    """Directors of London companies who are not in the workforce (namesakes arise naturally)."""
    rng = world.rng
    surname = draw_surnames(rng, n)
    forenames = draw_forenames(rng, n)
    numbers = np.char.add("0", (20000000 + rng.integers(0, n // 2 + 1, n)).astype(str))
    name = np.char.add(
        np.char.add(rng.choice(COMPANY_WORDS, n), " "),
        np.char.add(rng.choice(COMPANY_KINDS, n), " Ltd"),
    )
    appointed = world.day0 - rng.integers(-world.days, 4000, n).astype("timedelta64[D]")
    resigned = np.where(
        rng.random(n) < 0.3,
        appointed + rng.integers(100, 2000, n).astype("timedelta64[D]"),
        np.datetime64("NaT"),
    )
    return {
        "company_number": numbers,
        "company_name": name,
        "company_status": rng.choice(["active", "dissolved"], n, p=[0.85, 0.15]),
        "officer_name": np.array(
            [officer_name(world, s, f) for s, f in zip(surname, forenames, strict=True)]
        ),
        "officer_role": rng.choice(["director", "secretary", "psc"], n, p=[0.75, 0.1, 0.15]),
        "birth_month": rng.integers(1, 13, n),
        "birth_year": rng.integers(1950, 2004, n),
        "postcode": rng.choice(world.subjects.postcode, n),
        "appointed_date": appointed,
        "resigned_date": resigned,
    }


def directorship_row(
    world: World,
    person: int,
    number: str,
    name: str,
    appointed: np.datetime64,
    home_postcode_share: float = 0.85,
) -> dict[str, Any]:
    """A register entry for a member of the workforce, usually at their home postcode."""
    p = world.people
    dob = p.date_of_birth[person].astype(object)
    return {
        "company_number": number,
        "company_name": name,
        "company_status": "active",
        "officer_name": officer_name(world, str(p.surname[person]), str(p.forenames[person])),
        "officer_role": "director",
        "birth_month": dob.month,
        "birth_year": dob.year,
        "postcode": str(p.home_postcode[person])
        if world.rng.random() < home_postcode_share
        else str(world.rng.choice(world.subjects.postcode)),
        "appointed_date": appointed,
        "resigned_date": None,
    }
