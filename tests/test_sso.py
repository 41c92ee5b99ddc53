"""Single sign-on through OpenID Connect, in a real browser against a provider over real HTTP:
a workspace user signs in at the provider and lands on the page they asked for; someone the
provider knows but the workspace does not is refused; a forged return is refused; all audited."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser

from probity.governance.access import Role
from probity.governance.audit import AuditLog
from probity.web.sso import SSO_FILE
from tests.oidc_provider import Provider, running_provider
from tests.webserver import ARTIFACTS, serving, with_users

SECRET = "client secret for tests"


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    with running_provider("probity", SECRET) as p:
        yield p


@pytest.fixture(scope="module")
def governed(small_run: Path, tmp_path_factory: pytest.TempPathFactory, provider: Provider) -> Path:
    ws = with_users(
        small_run,
        tmp_path_factory.mktemp("sso") / "ws",
        {"inv.sso": Role.psd_investigator},
        "x" * 16,
    )
    (ws / SSO_FILE).write_text(yaml.safe_dump({"issuer": provider.issuer, "client_id": "probity"}))
    return ws


@pytest.fixture(scope="module")
def server(governed: Path) -> Iterator[str]:
    with serving(governed, {"PROBITY_OIDC_CLIENT_SECRET": SECRET}) as url:
        yield url


def test_a_workspace_user_signs_in_through_the_provider(
    server: str, browser: Browser, provider: Provider, governed: Path
) -> None:
    provider.user = "inv.sso"
    page = browser.new_context().new_page()
    page.goto(f"{server}/queue?purpose=professional_standards")
    page.wait_for_url(re.compile(r".*/login\?next="))
    page.screenshot(path=str(ARTIFACTS / "sso-login.png"))
    page.click("#sso")
    page.wait_for_url(f"{server}/queue*")
    assert "inv.sso (psd investigator)" in page.locator("header").inner_text()
    assert page.locator("#queue tbody tr").count() > 0
    login = [e for e in AuditLog(governed).entries() if e["action"] == "login"][-1]
    assert (login["actor"], login["details"]["channel"], login["details"]["issuer"]) == (
        "inv.sso",
        "sso",
        provider.issuer,
    )


def test_someone_the_workspace_does_not_know_is_refused(
    server: str, browser: Browser, provider: Provider, governed: Path
) -> None:
    provider.user = "stranger"
    page = browser.new_context().new_page()
    page.goto(f"{server}/login")
    page.click("#sso")
    page.wait_for_selector("p.error")
    assert "not a user of this workspace" in page.locator("p.error").inner_text()
    page.goto(f"{server}/api/queue")
    assert "log in first" in page.content()
    failed = AuditLog(governed).entries()[-1]
    assert (failed["action"], failed["actor"], failed["details"]["channel"]) == (
        "login_failed",
        "stranger",
        "sso",
    )


def test_a_forged_return_or_a_bad_id_token_is_refused(
    server: str, browser: Browser, provider: Provider, governed: Path
) -> None:
    page = browser.new_context().new_page()
    response = page.goto(f"{server}/login/sso/callback?code=made-up&state=made-up")
    assert response is not None and response.status == 403
    assert "did not complete" in page.locator("p.error").inner_text()
    assert AuditLog(governed).entries()[-1]["action"] == "login_failed"
    # A token answering someone else's sign-in (wrong nonce) is not accepted either.
    provider.user, provider.nonce = "inv.sso", "replayed"
    try:
        page.goto(f"{server}/login")
        page.click("#sso")
        page.wait_for_selector("p.error")
    finally:
        provider.nonce = None
    assert "did not complete" in page.locator("p.error").inner_text()
    assert AuditLog(governed).entries()[-1]["action"] == "login_failed"
