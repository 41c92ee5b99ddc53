"""The governed journey in a real browser: an investigator logs in, opens the queue and a
person, reveals them with a reason and records a decision; an auditor logs in and finds that
reveal in the audit log.
Screenshots go to test-artifacts/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from probity.governance.access import Role
from tests.webserver import ARTIFACTS, serving, with_users

PASSWORD = "a long passphrase for tests"


@pytest.fixture(scope="module")
def governed(small_run: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    roles = {"analyst.one": Role.psd_investigator, "auditor.one": Role.auditor}
    return with_users(small_run, tmp_path_factory.mktemp("governed") / "ws", roles, PASSWORD)


@pytest.fixture(scope="module")
def server(governed: Path) -> Iterator[str]:
    with serving(governed) as url:
        yield url


def logged_in(browser: Browser, server: str, name: str, start: str) -> Page:
    """A fresh browser session for `name`, logged in by way of the page they asked for."""
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{server}{start}")
    page.wait_for_url(re.compile(r".*/login\?next="))
    page.fill("#username", name)
    page.fill("#password", PASSWORD)
    page.click("form[action='/login'] button")
    page.wait_for_url(f"**{start}")
    return page


def test_analyst_reveals_and_auditor_finds_the_reveal(server: str, browser: Browser) -> None:
    analyst = logged_in(browser, server, "analyst.one", "/queue")
    assert "analyst.one (psd investigator)" in analyst.locator("header").inner_text()
    first = analyst.locator("#queue tbody tr").first
    subject = first.locator("td").nth(1).inner_text()
    first.locator("td:nth-child(2) a").click()
    analyst.wait_for_url(f"**/person/{subject}")
    analyst.fill("#reason", "assessment PSD/2026/91")
    analyst.click("form[action$='/reveal'] button")
    revealed = analyst.locator("#revealed strong").inner_text()
    analyst.screenshot(path=str(ARTIFACTS / "login-analyst-revealed.png"), full_page=True)
    analyst.select_option("#outcome-professional_standards", "refer_professional_standards")
    analyst.fill("#decision-reason-professional_standards", "pattern needs an assessment")
    analyst.click("form.decide button")
    assert "refer professional standards" in analyst.locator("#decided").inner_text()
    assert "pattern needs an assessment" in analyst.locator("#decisions").inner_text()
    analyst.screenshot(path=str(ARTIFACTS / "login-analyst-decided.png"), full_page=True)

    auditor = logged_in(browser, server, "auditor.one", "/audit")
    auditor.fill("#actor", "analyst.one")
    auditor.fill("#action", "reveal")
    auditor.click("form.filters button")
    row = auditor.locator("tbody tr").first
    auditor.screenshot(path=str(ARTIFACTS / "login-auditor-finds-reveal.png"), full_page=True)
    cells = row.inner_text()
    assert "analyst.one" in cells and "reveal" in cells
    # The explorer names the person by pseudonym, never by the HR id the analyst revealed.
    assert subject in cells and "assessment PSD/2026/91" in cells
    assert revealed not in cells


def test_a_wrong_password_stays_on_the_log_in_page(server: str, browser: Browser) -> None:
    page = browser.new_context().new_page()
    page.goto(f"{server}/login")
    page.fill("#username", "analyst.one")
    page.fill("#password", "not the password at all")
    page.click("form[action='/login'] button")
    assert page.locator("[role=alert]").inner_text().startswith("That name and password")
    assert "/login" in page.url
