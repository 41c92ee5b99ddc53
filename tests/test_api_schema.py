"""The HTTP API against its own description: Schemathesis generates requests for every
operation in /openapi.json, sent with a logged-in user's session, and every answer must be
one the description allows, with no server error (examples bounded to keep CI short)."""

from __future__ import annotations

from pathlib import Path

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from probity.governance.access import Role
from probity.web.app import create_app
from tests.test_login import PASSWORD, log_in
from tests.webserver import with_users

EXAMPLES = 12


def test_every_answer_is_one_the_api_describes(small_run: Path, tmp_path: Path) -> None:
    ws = with_users(small_run, tmp_path / "ws", {"asmith": Role.psd_investigator}, PASSWORD)
    app = create_app(ws)
    browser = TestClient(app)
    assert log_in(browser, "asmith") == 303
    session = {"Cookie": f"probity_session={browser.cookies['probity_session']}"}
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, headers=session)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def answers_as_described(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=session)

        answers_as_described()
