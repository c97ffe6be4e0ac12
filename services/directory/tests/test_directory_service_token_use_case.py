"""A platform backend's service token (handlers/service_clients.py) alone, on the in-memory
unit of work: its client id and secret checked, every attempt paid from the caller's address
first. The route over HTTP (Basic credentials): test_directory_signing_keys.py and tests/security."""

from __future__ import annotations

import pytest
from contacts_servicekit.domain_errors import LimitReached, NotAuthenticated
from directory_service.domain.rate_limits import Limit
from directory_service.handlers.service_clients import service_token
from directory_service.handlers.sign_in import SignInLimits

from .fake_users_work import FakeUsersWork

pytestmark = pytest.mark.unit
ADDRESS = "192.0.2.9"
LIMITS = SignInLimits(
    Limit("codes_number", 2, 1), Limit("codes_address", 3, 1), Limit("tries", 3, 1)
)
CLIENTS = {"billing": "s3cret-billing", "crm": "s3cret-crm"}


async def test_a_known_client_with_its_secret_gets_a_service_token() -> None:
    work = FakeUsersWork()

    token = await service_token(work, LIMITS, CLIENTS, ADDRESS, "billing", "s3cret-billing")

    assert token == "service billing"
    assert work.buckets == {("tries", f"address:{ADDRESS}"): 1}


@pytest.mark.parametrize(
    ("client_id", "secret"),
    [("billing", "s3cret-crm"), ("nobody", "s3cret-billing"), (None, ""), ("crm", "")],
)
async def test_a_wrong_secret_an_unknown_client_or_none_is_refused_and_the_attempt_spent(
    client_id: str | None, secret: str
) -> None:
    work = FakeUsersWork()

    with pytest.raises(NotAuthenticated) as refused:
        await service_token(work, LIMITS, CLIENTS, ADDRESS, client_id, secret)

    assert (refused.value.code, refused.value.field) == ("invalid_client", "Authorization")
    assert work.buckets == {("tries", f"address:{ADDRESS}"): 1}


async def test_past_the_addresss_attempts_even_the_right_secret_waits() -> None:
    work = FakeUsersWork()
    for _ in range(3):
        with pytest.raises(NotAuthenticated):
            await service_token(work, LIMITS, CLIENTS, ADDRESS, "crm", "guess")

    with pytest.raises(LimitReached) as refused:
        await service_token(work, LIMITS, CLIENTS, ADDRESS, "crm", "s3cret-crm")
    assert refused.value.retry_after == 42
    assert await service_token(work, LIMITS, CLIENTS, "192.0.2.10", "crm", "s3cret-crm")
