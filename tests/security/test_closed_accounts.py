"""A closed account's token is refused on every JWT endpoint of every service (401
`account_closed`), its own data included; a user the services never heard of is not.

The directory closes the account (`DELETE /v1/users/me`); each other service runs in a Kafka
namespace of its own here, so the directory's `UserDeactivated` is published into each."""

from __future__ import annotations

import uuid

import pytest
from contacts_events import DeactivationReason, UserDeactivated
from contacts_testing.all_services import SERVICES
from contacts_testing.auth import bearer
from contacts_testing.owned_world import OwnedWorld, build_world
from contacts_testing.running_service import RunningService

from .endpoint_probes import PROBES
from .test_isolation import call

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
async def closed(services: dict[str, RunningService]) -> OwnedWorld:
    """A user with data in every service, whose account is then closed everywhere."""
    world = await build_world(services, "Closing")
    closing = await services["directory"].http.delete("/v1/users/me", headers=bearer(world.owner))
    assert closing.status_code == 204, closing.text
    closure = UserDeactivated(user_id=world.owner, reason=DeactivationReason.CLOSED_BY_USER)
    for name in SERVICES[1:]:
        await services[name].events.publish(closure)
    return world


@pytest.mark.parametrize("name", SERVICES)
async def test_a_closed_accounts_token_is_refused_on_every_endpoint(
    services: dict[str, RunningService], closed: OwnedWorld, name: str
) -> None:
    service, me = services[name], bearer(closed.owner)
    ids = closed.placeholders
    protected = [(key, probe) for key, probe in PROBES[name].items() if probe.jwt]
    (method, path), probe = protected[0]

    async def refused() -> bool:
        return (await call(service.http, method, path, probe, ids, me)).status_code == 401

    await service.until(refused)  # the closure reached the service
    for (method, path), probe in protected:
        answer = await call(service.http, method, path, probe, ids, me)
        where = f"{method} {path}: {answer.status_code} {answer.text[:200]}"
        assert answer.status_code == 401, where
        assert answer.json()["error"] == "account_closed", where
        assert answer.json()["field"] == "Authorization", where
        challenge = answer.headers["WWW-Authenticate"]
        assert challenge.startswith('Bearer error="account_closed"'), where


@pytest.mark.parametrize("name", SERVICES)
async def test_a_user_never_heard_of_is_not_refused(
    services: dict[str, RunningService], closed: OwnedWorld, name: str
) -> None:
    stranger = bearer(uuid.uuid4())  # a development token naming any user id
    ids = closed.placeholders
    for (method, path), probe in PROBES[name].items():
        if probe.jwt:
            answer = await call(services[name].http, method, path, probe, ids, stranger)
            assert answer.status_code != 401, f"{method} {path}: {answer.text[:200]}"
