"""The session: tokens from a sign-in are used and saved; a token a service refuses as invalid
(expired) is renewed once, by one request at a time, and the request sent again."""

from __future__ import annotations

import asyncio
import base64

import httpx
import pytest
from contacts_client import AsyncContactsPlatform, Tokens, Unauthorized

from .conftest import Clients, Script, problem
from .samples import USER_ID, contact, tokens

pytestmark = pytest.mark.unit


def expired() -> httpx.Response:
    return problem(401, "invalid_token", "token expired")


def user() -> dict[str, object]:
    return {"user_id": USER_ID, "connect_id": "K7Q-M2X-9HB", "display_name": "Lea",
            "phone": "+447400123456", "email": None, "company_id": None, "company_role": None,
            "created_at": "2025-01-02T03:04:05Z"}  # fmt: skip


async def test_a_sign_in_gives_the_client_its_tokens_and_a_sign_out_forgets_them(
    clients: Clients,
) -> None:
    signed = httpx.Response(200, json={**tokens("access-1"), "user": user(), "signed_up": False})
    script = Script(signed, httpx.Response(200, json=contact()), httpx.Response(204))
    saved: list[Tokens | None] = []
    client = clients.on(script, save_tokens=saved.append)

    await clients.call(client.auth.sign_in, "+447400123456", "123456")
    await clients.call(client.contacts.read_contact, USER_ID)
    await clients.call(client.auth.sign_out)

    assert script.header("Authorization") == [None, "Bearer access-1", None]
    assert script.requests[2].read() == b'{"refresh_token":"refresh-1"}'
    assert [t.access_token if t else None for t in saved] == ["access-1", None]
    assert client.tokens is None


async def test_an_expired_token_is_refreshed_once_and_the_request_sent_again(
    clients: Clients,
) -> None:
    refreshed = httpx.Response(200, json=tokens("access-2", "refresh-2"))
    script = Script(expired(), refreshed, httpx.Response(200, json=contact()))
    saved: list[Tokens | None] = []
    start = Tokens(access_token="access-1", refresh_token="refresh-1")
    client = clients.on(script, token=start, save_tokens=saved.append)

    found = await clients.call(client.contacts.read_contact, USER_ID)

    assert found.display_name == "Lea"
    assert script.paths()[1] == "POST /v1/auth/refresh"
    assert script.requests[1].read() == b'{"refresh_token":"refresh-1"}'
    assert script.header("Authorization") == ["Bearer access-1", None, "Bearer access-2"]
    assert [t.refresh_token for t in saved if t] == ["refresh-2"]


async def test_a_token_refused_again_after_the_refresh_is_raised(clients: Clients) -> None:
    refreshed = httpx.Response(200, json=tokens("access-2", "refresh-2"))
    script = Script(expired(), refreshed, expired())
    client = clients.on(script, token=Tokens(access_token="a", refresh_token="r"))

    with pytest.raises(Unauthorized) as raised:
        await clients.call(client.contacts.read_contact, USER_ID)

    assert raised.value.error == "invalid_token"
    assert len(script.requests) == 3


@pytest.mark.parametrize("error", ["account_closed", "missing_token"])
async def test_a_refusal_a_new_token_cannot_fix_is_raised_without_refreshing(
    clients: Clients, error: str
) -> None:
    script = Script(problem(401, error))
    client = clients.on(script, token=Tokens(access_token="a", refresh_token="r"))

    with pytest.raises(Unauthorized):
        await clients.call(client.contacts.read_contact, USER_ID)

    assert script.paths() == [f"GET /v1/contacts/{USER_ID}"]


async def test_a_bare_access_token_that_expired_is_raised(clients: Clients) -> None:
    client = clients.on(script := Script(expired()), token="access-1")

    with pytest.raises(Unauthorized):
        await clients.call(client.contacts.read_contact, USER_ID)

    assert len(script.requests) == 1


async def test_requests_refused_at_once_share_one_refresh() -> None:
    """A refresh token works once: two refreshes would close the session (reuse detection)."""
    refreshes = 0

    async def route(request: httpx.Request) -> httpx.Response:
        nonlocal refreshes
        if request.url.path == "/v1/auth/refresh":
            refreshes += 1
            return httpx.Response(200, json=tokens("access-2", "refresh-2"))
        await asyncio.sleep(0.01)  # every request is sent before any is answered
        if request.headers["Authorization"] == "Bearer access-1":
            return expired()
        return httpx.Response(200, json=contact())

    client = AsyncContactsPlatform(
        token=Tokens(access_token="access-1", refresh_token="refresh-1"),
        transport=httpx.MockTransport(route),
    )
    found = await asyncio.gather(*(client.contacts.read_contact(USER_ID) for _ in range(5)))

    assert len(found) == 5
    assert refreshes == 1


async def test_a_backend_token_is_issued_anew_with_its_credentials_when_it_expires(
    clients: Clients,
) -> None:
    issued = [httpx.Response(200, json=tokens(f"service-{n}", None)) for n in (1, 2)]
    script = Script(issued[0], expired(), issued[1], httpx.Response(200, json=contact()))
    client = clients.on(script)

    await clients.call(client.auth.issue_service_token, "signup-backend", "s3cret")
    await clients.call(client.contacts.read_contact, USER_ID)

    basic = "Basic " + base64.b64encode(b"signup-backend:s3cret").decode()
    expected = [basic, "Bearer service-1", basic, "Bearer service-2"]
    assert script.header("Authorization") == expected
