"""Forms in the web app carry the session's CSRF token; tests read it as a browser would."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def form_token(client: TestClient, path: str = "/report") -> str:
    """The CSRF token from a page's forms (every page's header has one for its user)."""
    found = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
    assert found, f"no form token on {path}"
    return found.group(1)
