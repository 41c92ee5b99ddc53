"""Which forenames may be written for which: short forms from the `nicknames` package (a
maintained, hand-curated data set of English names and their nicknames, ~2,700 relations),
and spellings of the same name in transliteration, which that data set leaves out.

Records made by other people (complainants, police records, the company register) often use
the short form or another spelling; HR holds the registered one. Two forenames agree at the
"nickname" level of a comparison when their forms overlap (`forms`).
"""

from __future__ import annotations

import csv
from functools import cache
from importlib.resources import files

# Spellings of one name, each as likely as the others (transliterations from Arabic, Irish,
# Greek and Slavic among them).
SPELLINGS = (
    ("mohammed", "muhammad", "mohamed", "mohammad", "muhammed", "mohamad", "mohd"),
    ("ahmed", "ahmad"),
    ("yusuf", "yousef", "yousuf", "youssef"),
    ("sean", "shaun", "shawn"),
    ("siobhan", "shivaun"),
    ("aisha", "ayesha", "aishah"),
    ("fatima", "fatimah"),
    ("zainab", "zaynab"),
    ("hussein", "hussain", "husain"),
    ("ali", "aly"),
    ("katherine", "catherine", "kathryn", "catharine"),
    ("stephen", "steven"),
    ("jon", "john"),
    ("aleksandra", "alexandra"),
    ("nikolai", "nikolay", "nicolai"),
)


@cache
def forms() -> dict[str, tuple[str, ...]]:
    """For each forename that has other forms: itself, the names it is a short form of, and
    its other spellings (lower case, sorted)."""
    found: dict[str, set[str]] = {}
    data = files("nicknames").joinpath("names.csv").read_text(encoding="utf-8")
    for name, relation, other in csv.reader(data.splitlines()[1:]):
        if relation == "has_nickname":
            found.setdefault(other, {other}).add(name)
    for group in SPELLINGS:
        for name in group:
            found.setdefault(name, {name}).update(group)
    for names in found.values():  # a short form of a name is one of each spelling
        for full in list(names):
            for group in SPELLINGS:
                if full in group:
                    names.update(group)
    return {name: tuple(sorted(names)) for name, names in found.items()}
