"""Every JWT-protected endpoint of every service refuses a missing or flawed token with 401,
before it looks at anything else in the request."""

from __future__ import annotations

import uuid

import pytest
from contacts_testing.all_services import SERVICES
from contacts_testing.bad_tokens import bad_tokens
from contacts_testing.running_service import RunningService

from .endpoint_probes import PROBES

pytestmark = pytest.mark.integration

IDS = {name: str(uuid.uuid4()) for name in ("user_id", "company_id", "tenant_id", "contact_point_id",
       "contact_id", "import_id", "invitation_id", "offer_id")} | {"connect_id": "K7Q-M2X-9HB"}  # fmt: skip


@pytest.mark.parametrize("flaw", [*bad_tokens(), "missing", "basic auth"])
@pytest.mark.parametrize("name", SERVICES)
async def test_a_flawed_or_missing_token_is_401_on_every_endpoint(
    services: dict[str, RunningService], name: str, flaw: str
) -> None:
    without_bearer = {"missing": {}, "basic auth": {"Authorization": "Basic dXNlcjpwYXNz"}}
    headers = without_bearer.get(flaw, {"Authorization": f"Bearer {bad_tokens().get(flaw)}"})
    code = "missing_token" if flaw in ("missing", "basic auth") else "invalid_token"
    protected = [key for key, probe in PROBES[name].items() if probe.jwt]
    assert protected
    for method, path in protected:
        answer = await services[name].http.request(method, path.format(**IDS), headers=headers)
        where = f"{method} {path} with a {flaw} token: {answer.status_code} {answer.text[:200]}"
        assert answer.status_code == 401, where
        assert answer.json()["error"] == code and answer.json()["field"] == "Authorization", where
        assert answer.headers["WWW-Authenticate"].startswith("Bearer"), where
