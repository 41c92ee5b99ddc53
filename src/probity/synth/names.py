"""Name, postcode and address pools for the synthetic force, and the ways real records mangle them.

Every name here is a common given name or surname; combinations are drawn at random, so no
row describes a real person.
"""

from __future__ import annotations

import numpy as np

SURNAMES = np.array(
    """Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson
    Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson
    Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen
    James Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook
    Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan Marshall Anderson
    Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman Powell Webb Rogers Gray Mason Ali
    Hunt Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler Russell
    Barker Fisher Stevens Jenkins Murray Dixon Harvey Graham Pearson Ahmed Fletcher Walsh Kaur
    Gibson Howard Andrews Stewart Elliott Reynolds Saunders Payne Fox Ford Pearce Day Brooks
    West Lawrence Cole Atkinson Bradley Spencer Gill Dawson Ball Burton O'Brien Watts Rose Booth
    Perry Ryan Grant Wells Armstrong Francis Rees Hayes Hart Hudson Newman Barrett Webster Hunter
    Gregory Carr Lowe Page Marsh Riley Dunn Woods Parsons Berry Stone Reid Holland Hawkins
    Harding Porter Robertson Newton Oliver Reed Kennedy Williamson Bird Gardner Shah Dean Lane
    Cooke Bates Henderson Parry Burgess Bishop Walton Burns Nicholson Shepherd Ross Cross Long
    Freeman Warren Nicholls Hamilton Byrne Sutton McDonald Yates Hodgson Robson Curtis Hopkins
    O'Connor Harper Coleman Watkins Moss McCarthy Chambers Griffin Sharp Hardy Wheeler Potter
    Osborne Johnston Gordon Doyle Wallace George Jordan Hutchinson Rowe Burke May Pritchard
    Gilbert Willis Higgins Read Miah Okafor Mensah Adeyemi Boateng Nwosu Asante Owusu Chowdhury
    Rahman Iqbal Malik Sharma Mistry Gupta Nguyen Chen Wong Kowalski Nowak Silva Costa Rossi
    Mendes Santos Demir Yilmaz Smyth Brennan Quinn Doherty Kaya Osei Danso Bakare""".split()
)

FORENAMES = np.array(
    """John James David Paul Mark Andrew Michael Richard Peter Robert Stephen Daniel Thomas
    Christopher Matthew Simon Anthony Jonathan Ian Gary Lee Adam Ben Samuel Luke Ryan Jamie
    Craig Sean Kevin Mohammed Ali Imran Raj Arjun Kwame Kofi Tunde Emeka Chidi Marcus Jerome
    Tyrone Wei Jun Piotr Tomasz Luca Mateo Oliver Jack Harry George Charlie Alfie Joshua William
    Sarah Emma Claire Laura Rachel Rebecca Nicola Helen Louise Lisa Karen Amanda Joanne Victoria
    Katie Sophie Hannah Charlotte Jessica Amy Lucy Gemma Natalie Jennifer Samantha Kelly Fatima
    Aisha Ayesha Priya Anjali Sunita Amina Grace Blessing Chioma Adaeze Abena Esther Mei Lin
    Anna Agnieszka Maria Sofia Olivia Amelia Emily Chloe Megan Zoe Jade Danielle Stacey Leanne
    Kirsty Nadia Yasmin Shabana Parveen Rosa Elena""".split()
)

# Diminutives real records use in place of the registered forename.
NICKNAMES = {
    "John": "Jon",
    "James": "Jim",
    "David": "Dave",
    "Michael": "Mike",
    "Richard": "Rick",
    "Robert": "Bob",
    "Stephen": "Steve",
    "Daniel": "Dan",
    "Thomas": "Tom",
    "Christopher": "Chris",
    "Matthew": "Matt",
    "Anthony": "Tony",
    "Andrew": "Andy",
    "Samuel": "Sam",
    "William": "Will",
    "Jonathan": "Jon",
    "Benjamin": "Ben",
    "Rebecca": "Becky",
    "Victoria": "Vicky",
    "Jennifer": "Jenny",
    "Samantha": "Sam",
    "Elizabeth": "Liz",
    "Nicola": "Nicky",
    "Katie": "Kate",
    "Mohammed": "Mo",
    "Joanne": "Jo",
    "Charlotte": "Charlie",
}

STREETS = np.array(
    """High Station Church Park Victoria Albert Queens Kings Mill Manor Grove Elm Oak Beech Cedar
    Chestnut Springfield Windsor Stanley Richmond Clarence Grange Hillside Mount Nelson Cromwell
    Lansdowne Tennyson Milton Shakespeare Brunswick Cambridge Oxford York Lancaster Gladstone
    Palmerston Wellington Trafalgar""".split()
)
STREET_KINDS = np.array(["Road", "Street", "Avenue", "Lane", "Gardens", "Close", "Way", "Crescent"])

# Outward codes grouped by the basic command unit area they fall in.
AREA_OUTWARD = (
    ("Central West", ("W1", "W2", "SW1", "W8", "W11", "NW1")),
    ("Central North", ("N1", "N7", "N19", "NW5", "EC1", "WC1")),
    ("Central East", ("E1", "E2", "E8", "E9", "E14", "E3")),
    ("Central South", ("SE1", "SE5", "SE11", "SE17", "SW2", "SW9")),
    ("East Area", ("RM1", "RM6", "IG1", "IG11", "E6", "E13")),
    ("North Area", ("N9", "N13", "N18", "EN1", "EN3", "N17")),
    ("North East", ("E4", "E10", "E11", "E17", "N15", "N22")),
    ("North West", ("NW2", "NW9", "HA0", "HA8", "NW10", "HA3")),
    ("South Area", ("BR1", "BR2", "CR0", "SM1", "CR4", "SE25")),
    ("South East", ("SE6", "SE13", "SE18", "DA5", "SE9", "SE23")),
    ("South West", ("SW11", "SW15", "SW19", "KT1", "TW9", "SW17")),
    ("West Area", ("W3", "W5", "UB1", "UB3", "TW3", "W7")),
)

_LETTERS = np.array(list("ABDEFGHJLNPQRSTUWXYZ"))


def postcodes(rng: np.random.Generator, outward: np.ndarray) -> np.ndarray:
    """Full postcodes inside the given outward codes (one per element)."""
    n = len(outward)
    digit = rng.integers(1, 10, n).astype(str)
    inward = np.char.add(np.char.add(digit, rng.choice(_LETTERS, n)), rng.choice(_LETTERS, n))
    return np.char.add(np.char.add(outward.astype(str), " "), inward)


def addresses(rng: np.random.Generator, n: int) -> np.ndarray:
    number = rng.integers(1, 240, n).astype(str)
    street = np.char.add(np.char.add(rng.choice(STREETS, n), " "), rng.choice(STREET_KINDS, n))
    return np.char.add(np.char.add(np.char.add(number, " "), street), ", London")


def typo(rng: np.random.Generator, name: str) -> str:
    """One keyboard slip: a doubled, dropped or swapped letter."""
    if len(name) < 4:
        return name
    i = int(rng.integers(1, len(name) - 1))
    kind = int(rng.integers(0, 3))
    if kind == 0:
        return name[:i] + name[i] + name[i:]
    if kind == 1:
        return name[:i] + name[i + 1 :]
    return name[: i - 1] + name[i] + name[i - 1] + name[i + 1 :]


def variant_forename(rng: np.random.Generator, forenames: str) -> str:
    """How another system might record the same forenames: nickname, first name only, typo."""
    first = forenames.split()[0]
    roll = rng.random()
    if roll < 0.35 and first in NICKNAMES:
        return NICKNAMES[first]
    if roll < 0.55:
        return typo(rng, first)
    return first
