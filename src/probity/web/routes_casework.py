"""The review queue and the person page, with the casework done there: claiming an entry,
notes, revealing an identity (with a reason) and recording a decision. Every page has a JSON
twin under /api; every view of a person and every change is audited."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from probity.casework.feedback import under_review
from probity.casework.store import MIN_REASON, OUTCOMES_FOR, CaseConflict, CaseStore
from probity.contract.outputs import Purpose
from probity.governance.access import Action, Principal
from probity.publish.results import PURPOSES, RevealRefused, reveal
from probity.web.sessions import Name, Text, Token, check_csrf
from probity.web.site import Site, User, public

# A purpose as the API takes it: the schema lists the two, so a client knows them.
PurposeName = Purpose  # the purposes of the output contract


def opened(request: Request) -> dict[str, str]:
    """People this session opened outside the user's queues, with the reason given."""
    return dict(request.session.get("opened") or {})


def add_routes(app: FastAPI, site: Site) -> None:
    def cases() -> CaseStore:
        return CaseStore(site.workspace)

    def queue_rows(
        user: Principal,
        purpose: str | None,
        concern: str | None = None,
        unit: str | None = None,
        min_priority: float | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        site.allow(user, Action.view_queue, site.check_purpose(purpose))
        claims = cases().claims()
        rows = [
            {
                **r,
                "claimed_by": c.actor
                if (c := claims.get((r["person_key"], r["purpose"])))
                else None,
            }
            for r in site.published().queue(
                purpose, concern=concern or None, unit=unit or None, min_priority=min_priority
            )
            if r["purpose"] in user.purposes
        ]
        return rows[:limit]

    @app.get("/api/queue")
    def api_queue(
        user: User,
        purpose: PurposeName | None = None,
        concern: str | None = None,
        unit: str | None = None,
        min_priority: float | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """The review queue of the user's purposes, highest priority first."""
        return [public(r) for r in queue_rows(user, purpose, concern, unit, min_priority, limit)]

    @app.get("/queue", response_class=HTMLResponse, include_in_schema=False)
    def queue_page(
        request: Request,
        user: User,
        purpose: str | None = None,
        concern: str | None = None,
        unit: str | None = None,
        min_priority: str = "",  # the form sends an empty field as ""
    ) -> HTMLResponse:
        purpose = purpose or None
        try:
            floor = float(min_priority) if min_priority.strip() else None
        except ValueError:
            raise HTTPException(422, f"priority is a number, not {min_priority!r}") from None
        rows = queue_rows(user, purpose, concern, unit, floor)
        # The filter offers what the whole queue of the purposes shown holds.
        shown = [p for p in PURPOSES if p in user.purposes and purpose in (None, p)]
        choices = site.published().queue_choices(shown)
        return site.page(
            request,
            user,
            "queue.html",
            {
                "rows": rows,
                "filters": {
                    "purpose": purpose,
                    "concern": concern or "",
                    "unit": unit or "",
                    "min_priority": floor,
                },
                "purposes": [p for p in PURPOSES if p in user.purposes],
                **choices,
                "run_id": site.published().run_id,
            },
        )

    def case(user: Principal, person_key: str) -> dict[str, Any]:
        """The casework on a person in the user's purposes: claims, notes and decisions."""
        store = cases()
        return {
            "claims": {
                purpose: claim.actor
                for (key, purpose), claim in store.claims().items()
                if key == person_key and purpose in user.purposes
            },
            # Without the HR person id: the page and API name the person by pseudonym only.
            "notes": [public(asdict(n)) for n in store.notes(person_key, user.purposes)],
            "decisions": [
                public(asdict(d)) for d in store.all(person_key) if d.purpose in user.purposes
            ],
        }

    def person_context(user: Principal, person: dict[str, Any], **notices: Any) -> dict[str, Any]:
        files = site.published().casefile(
            person["person_key"], user.purposes, user.can(Action.view_health, "welfare")
        )
        return {
            "person": public(person),
            **case(user, person["person_key"]),
            **files,
            "decidable": [
                q["purpose"] for q in person["queue"] if user.can(Action.decide, q["purpose"])
            ],
            "outcomes": OUTCOMES_FOR,
            "min_reason": MIN_REASON,
            "revealed": None,
            "decision": None,
            **notices,
        }

    @app.get("/api/person/{subject}")
    def api_person(
        user: User, subject: str, reason: Annotated[str | None, Query(max_length=2000)] = None
    ) -> dict[str, Any]:
        """A person's signals with evidence and queue entries (a view: audited). Someone in
        none of the user's queues needs a `reason` starting with a case reference."""
        return public(site.open_person(user, subject, "api", reason))

    @app.get("/api/person/{subject}/casefile")
    def api_casefile(
        user: User, subject: str, reason: Annotated[str | None, Query(max_length=2000)] = None
    ) -> dict[str, Any]:
        """Timeline across sources, monthly activity, peer comparison, link graph and the
        casework (claims, notes, decisions) of the user's purposes (a view: audited)."""
        context = person_context(user, site.open_person(user, subject, "api", reason))
        keys = ("timeline", "activity", "peers", "graph", "claims", "notes", "decisions")
        return {"subject": subject, **{k: context[k] for k in keys}}

    @app.get("/person/{subject}", response_class=HTMLResponse, include_in_schema=False)
    def person_page(request: Request, user: User, subject: str) -> HTMLResponse:
        reason = opened(request).get(subject)
        try:
            person = site.open_person(user, subject, "web", reason)
        except HTTPException as e:
            # Only a refusal for want of a case reference offers to give one.
            if e.status_code != 403 or reason or not user.can(Action.view_person):
                raise
            example = site.access.outside_queue_example
            return site.page(
                request,
                user,
                "person_outside.html",
                {"subject": subject, "example": example},
                status_code=403,
            )
        return site.page(request, user, "person.html", person_context(user, person))

    @app.post("/person/{subject}/open", include_in_schema=False)
    def open_outside_queue(
        request: Request, user: User, subject: str, reason: Text = "", csrf: Token = ""
    ) -> Response:
        """Open someone in none of the user's queues, for a reason with a case reference (kept
        for this session's later pages; each view is audited with it)."""
        check_csrf(request, csrf)
        site.allow(user, Action.view_person)
        person = site.person(user, subject)
        if not person["queue"]:
            site.check_reference(user, person, reason, "web")
            request.session["opened"] = {**opened(request), subject: reason.strip()}
        return RedirectResponse(f"/person/{subject}", status_code=303)

    def casework_form(
        request: Request,
        user: User,
        subject: str,
        csrf: str,
        purpose: str,
        action: Action = Action.view_queue,
        on_entry: str | None = None,
    ) -> dict[str, Any]:
        """The person a casework form acts on, once its token, purpose and the user's right
        to `action` for that purpose are checked, and the person is the user's to act on: in
        the queue of that purpose (`on_entry`: what needs the entry), or else in one of the
        user's queues or opened with a case reference this session."""
        check_csrf(request, csrf)
        site.allow(user, action, site.check_purpose(purpose))
        person = site.person(user, subject)
        if on_entry:
            site.require_queued(person, purpose, on_entry)
        else:
            require_opened(request, person, subject)
        return person

    def require_opened(request: Request, person: dict[str, Any], subject: str) -> None:
        if not person["queue"] and subject not in opened(request):
            raise HTTPException(
                403, f"{subject} is in none of your queues: open them with a case reference first"
            )

    @app.post("/person/{subject}/decide", response_class=HTMLResponse, include_in_schema=False)
    def decide_page(
        request: Request,
        user: User,
        subject: str,
        purpose: Name = "",
        outcome: Name = "",
        reason: Text = "",
        csrf: Token = "",
    ) -> HTMLResponse:
        """Record a review decision (people decide; Probity records, and audits it)."""
        person = casework_form(request, user, subject, csrf, purpose, Action.decide, "decide")
        try:
            decision = cases().record(
                person["person_key"],
                purpose,
                outcome,
                reason,
                user.name,
                site.published().run_id,
                under_review(person["signals"], purpose),
            )
        except ValueError as e:
            raise HTTPException(422, str(e)) from e
        return site.page(
            request, user, "person.html", person_context(user, person, decision=decision)
        )

    @app.post("/person/{subject}/claim", include_in_schema=False)
    def claim(
        request: Request,
        user: User,
        subject: str,
        purpose: Name = "",
        release: Name = "",
        csrf: Token = "",
    ) -> Response:
        """Take (or, with `release`, give back) this person's queue entry for a purpose."""
        person = casework_form(request, user, subject, csrf, purpose, on_entry="claim")
        try:
            if release:
                cases().release(person["person_key"], purpose, user.name)
            else:
                cases().claim(person["person_key"], purpose, user.name)
        except CaseConflict as e:
            raise HTTPException(409, str(e)) from e
        return RedirectResponse(f"/person/{subject}", status_code=303)

    @app.post("/person/{subject}/note", include_in_schema=False)
    def note(
        request: Request,
        user: User,
        subject: str,
        purpose: Name = "",
        text: Text = "",
        csrf: Token = "",
    ) -> Response:
        person = casework_form(request, user, subject, csrf, purpose)
        try:
            cases().add_note(person["person_key"], purpose, user.name, text)
        except ValueError as e:
            raise HTTPException(422, str(e)) from e
        return RedirectResponse(f"/person/{subject}#notes", status_code=303)

    @app.post("/person/{subject}/reveal", response_class=HTMLResponse, include_in_schema=False)
    def reveal_page(
        request: Request,
        user: User,
        subject: str,
        reason: Text = "",
        csrf: Token = "",
    ) -> HTMLResponse:
        check_csrf(request, csrf)
        site.allow(user, Action.reveal)
        person = site.person(user, subject)
        require_opened(request, person, subject)
        try:
            revealed = reveal(site.audit, user.name, person["person_key"], subject, reason, "web")
        except RevealRefused as e:
            raise HTTPException(422, str(e)) from e
        return site.page(
            request, user, "person.html", person_context(user, person, revealed=revealed)
        )
