"""What the web app tells the browser: only our own scripts, no framing, no sniffing, no
referrer, nothing about a person cached; only the deployment's host names; and the API's
description behind log-in, drawn from our own copies of Swagger UI and Redoc."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from probity.governance.access import Role
from probity.web.app import create_app
from tests.test_login import PASSWORD, log_in
from tests.webserver import with_users


@pytest.fixture()
def workspace(small_run: Path, tmp_path: Path) -> Path:
    return with_users(small_run, tmp_path / "ws", {"asmith": Role.psd_analyst}, PASSWORD)


def test_every_answer_carries_the_security_headers(workspace: Path) -> None:
    client = TestClient(create_app(workspace))
    assert log_in(client, "asmith") == 303
    subject = client.get("/api/queue?limit=1").json()[0]["subject"]
    for path in ("/login", "/queue", f"/person/{subject}", f"/api/person/{subject}", "/docs"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-eval" not in csp, path
        assert "frame-ancestors 'none'" in csp, path
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["cache-control"] == "no-store", path
    static = client.get("/static/probity.css").headers
    assert "no-store" not in static.get("cache-control", "")


def test_a_host_the_deployment_does_not_serve_is_refused(workspace: Path) -> None:
    app = create_app(workspace, allowed_hosts=["probity.force.example"])
    assert TestClient(app, base_url="http://probity.force.example").get("/login").status_code == 200
    refused = TestClient(app, base_url="http://evil.example").get("/login")
    assert refused.status_code == 400
    assert "script-src 'self'" in refused.headers["content-security-policy"]


def test_api_docs_are_behind_log_in_and_load_nothing_from_elsewhere(workspace: Path) -> None:
    client = TestClient(create_app(workspace))
    assert client.get("/openapi.json").status_code == 401
    for path in ("/docs", "/redoc"):
        assert client.get(path, follow_redirects=False).status_code == 303
    assert log_in(client, "asmith") == 303
    assert "/api/queue" in client.get("/openapi.json").json()["paths"]
    for path in ("/docs", "/redoc"):
        page = client.get(path).text
        sources = re.findall(r'(?:src|href)="([^"]+)"', page)
        assert sources and all(s.startswith(("/", "#")) for s in sources), sources
        assert any(s.startswith("/static/vendor/") for s in sources)


def test_every_page_names_its_own_icon_and_the_icon_is_served(workspace: Path) -> None:
    """Without one a browser asks for /favicon.ico, which is not served, on every page."""
    client = TestClient(create_app(workspace))
    icons = re.findall(r'<link rel="icon" href="([^"]+)"', client.get("/login").text)
    assert icons == ["/static/favicon.svg"]
    icon = client.get(icons[0])
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
