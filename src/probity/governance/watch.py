"""Watching the watchers: Probity's own users are monitored from the audit log.

Three findings go to the auditor:
- opening people who are in no queue of the user's purposes without a case reference
  (looking someone up with no case to explain it). A decision recorded later does not
  explain an earlier look: decisions never launder a view;
- opening people outside the user's queues with a case reference, listed apart with the
  references, for the auditor to check against the case system;
- viewing far more different people than others in the same role (at least `ratio` times the
  role's median, and at least `min_people`).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from typing import Any

from probity.governance.access import Principal

VIEWS = ("view_person", "reveal")


def watch(
    entries: list[dict[str, Any]],
    principals: dict[str, Principal],
    queued: set[tuple[str, str]],
    *,
    ratio: float = 3.0,
    min_people: int = 20,
) -> list[dict[str, Any]]:
    """Findings from audit `entries`; `queued` holds (person_key, purpose); `principals` maps
    user names to their roles."""
    seen: dict[str, set[str]] = defaultdict(set)
    outside: dict[str, set[str]] = defaultdict(set)
    referenced: dict[str, dict[str, str]] = defaultdict(dict)
    for e in entries:
        if e.get("action") not in VIEWS or not e.get("subject"):
            continue
        actor, person = str(e["actor"]), str(e["subject"])
        seen[actor].add(person)
        principal = principals.get(actor)
        purposes = principal.purposes if principal else frozenset()
        in_queue = any((person, p) in queued for p in purposes)
        if in_queue:
            continue
        if (e.get("details") or {}).get("outside_queue") and e.get("reason"):
            referenced[actor][person] = str(e["reason"])
        else:
            outside[actor].add(person)
    findings = []
    for actor, people in sorted(outside.items()):
        findings.append(
            {
                "actor": actor,
                "role": principals[actor].role.value if actor in principals else None,
                "finding": "viewed people in no queue and no case",
                "people": len(people),
                "detail": f"{len(people)} people viewed who were in none of the user's queues, "
                "with no case reference",
            }
        )
    for actor, reasons in sorted(referenced.items()):
        findings.append(
            {
                "actor": actor,
                "role": principals[actor].role.value if actor in principals else None,
                "finding": "opened people outside their queues with a case reference",
                "people": len(reasons),
                "detail": "; ".join(sorted(set(reasons.values())))[:500],
            }
        )

    def role_of(actor: str) -> str:
        return principals[actor].role.value if actor in principals else "unknown"

    for actor, people in sorted(seen.items()):
        role = role_of(actor)
        others = [len(p) for a, p in seen.items() if a != actor and role_of(a) == role]
        if not others:
            continue
        median = statistics.median(others)
        if len(people) >= min_people and len(people) >= ratio * max(median, 1):
            findings.append(
                {
                    "actor": actor,
                    "role": role,
                    "finding": "viewed far more people than others in the same role",
                    "people": len(people),
                    "detail": f"{len(people)} different people viewed; the median of others in the role is {median:g}",
                }
            )
    return findings
