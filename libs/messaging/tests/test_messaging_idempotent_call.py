"""An `Idempotency-Key` is bound to one request: its method, path and body; without a key,
nothing is claimed or kept."""

from __future__ import annotations

from typing import Any

import pytest
from contacts_servicekit.web.idempotency import IdempotentCall
from starlette.requests import Request

pytestmark = pytest.mark.unit


def request(method: str, path: str) -> Request:
    return Request({"type": "http", "method": method, "path": path, "query_string": b"",
                    "headers": [], "server": ("t", 80), "scheme": "http"})  # fmt: skip


def call(method: str = "POST", path: str = "/v1/invitations", body: Any = None) -> IdempotentCall:
    return IdempotentCall.of(request(method, path), "user-1", "key-1", body or {"phone": "+4474"})


def test_the_same_request_has_the_same_fingerprint_and_any_other_another() -> None:
    assert call().fingerprint == call().fingerprint
    others = [call(body={"phone": "+4475"}), call(path="/v1/other"), call(method="PUT")]
    assert len({c.fingerprint for c in others} | {call().fingerprint}) == 4


async def test_without_a_key_nothing_is_claimed_or_kept() -> None:
    keyless = IdempotentCall.of(request("POST", "/v1/invitations"), "user-1", "", {})
    assert keyless.key is None
    no_connection: Any = None  # any use of the database would fail
    assert await keyless.earlier_response(no_connection) is None
    response = await keyless.respond(no_connection, 201, {"ok": True})
    assert (response.status_code, response.body) == (201, b'{"ok":true}')


async def test_a_response_keeps_its_headers_and_a_204_has_no_body() -> None:
    keyless = IdempotentCall.of(request("POST", "/v1/companies"), "user-1", None, {})
    no_connection: Any = None
    created = await keyless.respond(no_connection, 201, {"id": "c1"}, {"Location": "/v1/c/c1"})
    assert created.headers["Location"] == "/v1/c/c1"
    added = await keyless.respond(no_connection, 204, None)
    assert (added.status_code, added.body) == (204, b"")
