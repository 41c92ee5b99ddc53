"""The main journey in a real browser (Debian's Chromium driven by Playwright): queue → person →
reveal with a reason, and the reveal is in the audit log. Screenshots go to test-artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from probity.governance.audit import AuditLog
from probity.publish.workspace import Workspace
from tests.webserver import ARTIFACTS, serving


@pytest.fixture(scope="module")
def server(small_run: Path) -> Iterator[str]:
    with serving(small_run, {"PROBITY_ACTOR": "analyst.browser"}) as url:
        yield url


@pytest.fixture(scope="module")
def page(browser: Browser) -> Page:
    return browser.new_page(viewport={"width": 1280, "height": 900})


def test_queue_to_person_to_audited_reveal(server: str, page: Page, small_run: Path) -> None:
    page.goto(f"{server}/queue")
    first = page.locator("#queue tbody tr").first
    subject = first.locator("td").nth(1).inner_text()
    assert subject.startswith("P-")
    page.screenshot(path=str(ARTIFACTS / "queue.png"), full_page=True)

    first.locator("td:nth-child(2) a").click()
    page.wait_for_url(f"**/person/{subject}")
    assert page.locator("section.signal").count() >= 1
    assert page.locator("section.signal table tbody tr").count() >= 1

    page.fill("#reason", "referral PSD/2026/77")
    page.click("#identity button[type=submit]")
    revealed = page.locator("#revealed strong").inner_text()
    page.screenshot(path=str(ARTIFACTS / "person-revealed.png"), full_page=True)
    assert revealed.startswith("E")

    event = AuditLog(small_run).entries()[-1]
    assert (event["action"], event["actor"], event["subject"], event["reason"]) == (
        "reveal",
        "analyst.browser",
        revealed,
        "referral PSD/2026/77",
    )


def test_reveal_form_will_not_submit_without_a_reason(server: str, page: Page) -> None:
    page.goto(f"{server}/queue")
    page.locator("#queue tbody tr td:nth-child(2) a").first.click()
    page.click("#identity button[type=submit]")
    assert page.locator("#revealed").count() == 0


def test_run_page_charts_what_each_linkage_model_weighed(
    server: str, browser: Browser, small_run: Path
) -> None:
    """One chart per linkage task that trained a model or weighed the days accounts were
    used, drawn with no error in the page."""
    ws = Workspace(small_run)
    identities = ws.read_report(ws.require_current())["identities"]
    weighed = [t for t, c in identities.items() if c.get("parameters") or c.get("weighed")]
    assert weighed
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{server}/report")
    page.wait_for_selector("#model-weights svg")
    assert page.locator("#model-weights svg").count() == len(weighed)
    page.locator("#model-weights").screenshot(path=str(ARTIFACTS / "run-model-weights.png"))
    page.close()
    assert errors == []
