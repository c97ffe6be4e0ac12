"""Retries: after 429 and 503 (waiting what Retry-After says, up to a cap) and lost answers,
only for calls safe to repeat; a creating call keeps its Idempotency-Key across its retries."""

from __future__ import annotations

import httpx
import pytest
from contacts_client import RateLimited, RetryPolicy, Unavailable

from .conftest import Clients, Script, problem
from .samples import USER_ID, contact, imported, invitation

pytestmark = pytest.mark.unit


async def test_a_503_is_retried_after_the_seconds_its_retry_after_gives(
    clients: Clients, sleeps: list[float]
) -> None:
    script = Script(
        problem(503, "overloaded", **{"Retry-After": "2"}), httpx.Response(200, json=contact())
    )
    client = clients.on(script)

    found = await clients.call(client.contacts.read_contact, USER_ID)

    assert found.display_name == "Lea"
    assert sleeps == [2.0]
    assert len(script.requests) == 2


async def test_a_retry_after_longer_than_the_cap_is_raised_at_once_with_its_seconds(
    clients: Clients, sleeps: list[float]
) -> None:
    script = Script(problem(429, "rate_limited", **{"Retry-After": "3600"}))
    client = clients.on(script, retries=RetryPolicy(max_retry_after=30))

    with pytest.raises(RateLimited) as raised:
        await clients.call(client.contacts.read_contact, USER_ID)

    assert raised.value.retry_after == 3600
    assert (len(script.requests), sleeps) == (1, [])


async def test_retries_stop_after_the_attempts_and_raise_the_last_error(
    clients: Clients, sleeps: list[float]
) -> None:
    script = Script(*[problem(503, "overloaded", **{"Retry-After": "1"}) for _ in range(3)])
    client = clients.on(script, retries=RetryPolicy(attempts=3))

    with pytest.raises(Unavailable):
        await clients.call(client.contacts.read_contact, USER_ID)

    assert (len(script.requests), sleeps) == (3, [1.0, 1.0])


async def test_without_retry_after_the_waits_back_off(
    clients: Clients, sleeps: list[float]
) -> None:
    script = Script(
        problem(503, "overloaded"), problem(503, "overloaded"), httpx.Response(200, json=contact())
    )
    client = clients.on(script, retries=RetryPolicy(backoff_first=1, backoff_max=60))

    await clients.call(client.contacts.read_contact, USER_ID)

    first, second = sleeps
    assert 1 <= first <= 2 and 2 <= second <= 3  # 1 s then 2 s, each with up to 1 s of jitter


async def test_a_creating_call_sends_one_idempotency_key_through_its_retries(
    clients: Clients, sleeps: list[float]
) -> None:
    created = httpx.Response(201, json=imported())
    script = Script(problem(503, "overloaded"), httpx.ReadTimeout("lost"), created, created)
    client = clients.on(script)

    await clients.call(client.imports.paste_numbers, "+447400123456")
    await clients.call(client.imports.paste_numbers, "+447400123456")

    first, retry, last, another = script.header("Idempotency-Key")
    assert first == retry == last and first is not None
    assert another not in (None, first)  # each call its own key


async def test_a_call_not_safe_to_repeat_is_not_retried_after_a_503_or_a_lost_answer(
    clients: Clients, sleeps: list[float]
) -> None:
    client = clients.on(script := Script(problem(503, "overloaded"), httpx.ReadTimeout("lost")))

    with pytest.raises(Unavailable):
        await clients.call(client.invitations.resend_invitation, USER_ID)
    with pytest.raises(httpx.ReadTimeout):
        await clients.call(client.invitations.resend_invitation, USER_ID)

    assert script.header("Idempotency-Key") == [None, None]
    assert len(script.requests) == 2


async def test_a_request_that_never_left_is_sent_again_whatever_it_is(
    clients: Clients, sleeps: list[float]
) -> None:
    script = Script(httpx.ConnectError("refused"), httpx.Response(202, json=invitation()))
    client = clients.on(script)

    resent = await clients.call(client.invitations.resend_invitation, USER_ID)

    assert resent.send_count == 1
    assert len(script.requests) == 2


async def test_what_a_retry_cannot_fix_is_raised_at_once(
    clients: Clients, sleeps: list[float]
) -> None:
    client = clients.on(script := Script(problem(404, "contact_not_found")))

    with pytest.raises(Exception, match="contact_not_found"):
        await clients.call(client.contacts.read_contact, USER_ID)

    assert (len(script.requests), sleeps) == (1, [])
