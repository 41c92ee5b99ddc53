"""Casework in a real browser (Debian's Chromium through Playwright): the person page draws its
charts and link graph from the app's own copies of Vega-Lite and Cytoscape, a reviewer claims
the entry and writes a note, follows the unit link to the unit's chart, and works through the
clerical link review. Also: the page can be used from the keyboard. Screenshots go to
test-artifacts/."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.webserver import ARTIFACTS, serving


@pytest.fixture(scope="module")
def server(small_run: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    ws = tmp_path_factory.mktemp("browser-casework") / "ws"
    shutil.copytree(small_run, ws)
    with serving(ws, {"PROBITY_ACTOR": "reviewer.browser"}) as url:
        yield url


@pytest.fixture(scope="module")
def page(browser: Browser) -> Page:
    return browser.new_page(viewport={"width": 1280, "height": 900})


def test_person_page_draws_charts_and_graph_and_takes_casework(server: str, page: Page) -> None:
    offline: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(server) else offline.append(r.url))
    page.goto(f"{server}/queue?purpose=professional_standards")
    subject = page.locator("#queue tbody tr td:nth-child(2) a").first.inner_text()
    page.locator("#queue tbody tr td:nth-child(2) a").first.click()
    page.wait_for_url(f"**/person/{subject}")
    page.wait_for_selector("#activity-chart svg")
    page.wait_for_selector("#peers-chart svg")
    page.wait_for_function("document.getElementById('graph').dataset.drawn >= 2")
    assert offline == []  # every script and style came from Probity itself

    page.click("form[action$='/claim'] button")
    assert "You are working on this entry" in page.locator("#entries").inner_text()
    page.fill("#note-professional_standards", "look-ups checked against the duty log")
    page.click("form[action$='/note'] button")
    assert "look-ups checked against the duty log" in page.locator("#notes").inner_text()
    page.screenshot(path=str(ARTIFACTS / "person-casework.png"), full_page=True)

    unit = page.locator("main p a[href^='/unit/']").first
    code = unit.inner_text()
    unit.click()
    page.wait_for_url(f"**/unit/{code}")
    page.wait_for_selector("#unit-chart svg")
    assert subject in page.locator("#unit-queue").inner_text()
    page.screenshot(path=str(ARTIFACTS / "unit.png"), full_page=True)


def test_queue_filter_form(server: str, page: Page) -> None:
    page.goto(f"{server}/queue")
    everyone = page.locator("#queue tbody tr").count()
    concern = page.locator("#concern option").nth(1).get_attribute("value")
    assert concern
    page.select_option("#concern", concern)
    page.click("form.filters button")
    page.wait_for_url(f"**/queue?*concern={concern}*")
    rows = page.locator("#queue tbody tr")
    assert 0 < rows.count() < everyone
    for i in range(rows.count()):
        assert concern in rows.nth(i).locator("td").nth(4).inner_text()


def test_clerical_link_review_in_the_browser(server: str, page: Page) -> None:
    page.goto(f"{server}/links")
    page.fill("#review-reason", "monthly link review")
    page.click("form[action='/links/start'] button")
    first = page.locator("#candidates tbody tr").first
    pair = (
        first.locator("input[name=record_id]").first.get_attribute("value"),
        first.locator("input[name=person_key]").first.get_attribute("value"),
    )
    page.screenshot(path=str(ARTIFACTS / "link-review.png"), full_page=True)
    first.locator("button", has_text="Reject").click()
    page.wait_for_url("**/links?task=*")
    judged = f"input[name=record_id][value='{pair[0]}'] ~ input[name=person_key][value='{pair[1]}']"
    assert page.locator(judged).count() == 0


def test_fairness_dashboard_and_keyboard_use(server: str, page: Page) -> None:
    page.goto(f"{server}/fairness")
    assert page.locator("table.fairness").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "fairness.png"), full_page=True)
    # The first Tab reaches the skip link, which takes keyboard users past the navigation.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    # Every form control on the person page has a label.
    page.goto(f"{server}/queue")
    page.locator("#queue tbody tr td:nth-child(2) a").first.click()
    unlabelled = page.evaluate(
        """[...document.querySelectorAll('main input:not([type=hidden]), main select, main textarea')]
           .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).length"""
    )
    assert unlabelled == 0


def test_api_docs_draw_from_our_own_copies(server: str, page: Page) -> None:
    offline: list[str] = []
    errors: list[str] = []
    blocked: list[str] = []
    page.on(
        "request", lambda r: None if r.url.startswith((server, "blob:")) else offline.append(r.url)
    )
    # Redoc asks for its maker's logo; the page's Content-Security-Policy stops the request
    # before it leaves the browser.
    page.on("requestfailed", lambda r: blocked.append(r.url) if r.failure == "csp" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    for path, drawn in (("/docs", ".swagger-ui .opblock"), ("/redoc", ".redoc-wrap")):
        page.goto(f"{server}{path}")
        page.wait_for_selector(drawn)
        page.screenshot(path=str(ARTIFACTS / f"api{path.replace('/', '-')}.png"))
    assert [url for url in offline if url not in blocked] == [] and errors == []
