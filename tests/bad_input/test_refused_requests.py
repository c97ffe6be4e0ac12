"""Every request of the corpus is refused with its exact error, and nothing of the user's
changes: profile, company, contacts, imports and their rows, invitations, readiness."""

from __future__ import annotations

import pytest
from contacts_testing.auth import bearer
from contacts_testing.owned_world import STAFF, OwnedWorld
from contacts_testing.running_service import RunningService

from .owner_snapshot import snapshot
from .refused_requests import CORPUS

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
async def before(services: dict[str, RunningService], owner: OwnedWorld) -> dict:
    return await snapshot(services, owner)


@pytest.mark.parametrize("case", CORPUS)
async def test_bad_input_is_refused_naming_the_field_and_changes_nothing(
    services: dict[str, RunningService], owner: OwnedWorld, before: dict, case: str
) -> None:
    refused = CORPUS[case]
    headers = STAFF if refused.staff else bearer(owner.owner)
    request = {**refused.request, "headers": {**headers, **refused.request.get("headers", {})}}
    path = refused.path.format(**owner.ids)
    answer = await services[refused.service].http.request(refused.method, path, **request)
    body = answer.json()
    assert (answer.status_code, body["error"], body["field"]) == (
        refused.status, refused.error, refused.field,
    ), answer.text[:500]  # fmt: skip
    assert body["detail"]
    assert await snapshot(services, owner) == before
