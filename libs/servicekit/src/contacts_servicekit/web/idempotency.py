"""Idempotency keys for state-changing HTTP requests (`Idempotency-Key` header).

`claim` runs first in the request's transaction. The first request with a key records a hash
of the request and, once handled, its response (`remember`), in the same transaction as the
state change and its outbox events: a retry after a lost response gets the stored response
back and changes nothing, so an event is emitted once however often a client retries. A key
reused for a different request (another body or path) is refused: 422
`idempotency_key_reused`. A request that failed left nothing behind (its transaction rolled
back), so retrying it runs it again. An endpoint takes the header as `IdempotencyKey` and
goes through :class:`IdempotentCall`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any

import asyncpg
from fastapi import Header, Request
from fastapi.responses import JSONResponse

from contacts_servicekit.errors import Invalid

MAX_KEY_LENGTH = 200
IdempotencyKey = Annotated[
    str | None,
    Header(
        max_length=MAX_KEY_LENGTH,
        description="Retry safely (a UUID per call): a retry with the same key and request gets "
        "the first response (`Idempotent-Replayed: true`) and changes nothing; the key with "
        "another request is 422 `idempotency_key_reused`",
    ),
]


class IdempotencyKeyReused(Invalid):
    """The key was used before for a different request (422)."""

    def __init__(self) -> None:
        super().__init__(
            "idempotency_key_reused",
            "Idempotency-Key was already used for a different request.",
            "Idempotency-Key",
        )


@dataclass(frozen=True)
class StoredResponse:
    status_code: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)  # the Location of a 201


def request_hash(method: str, path: str, body: Any) -> str:
    canonical = json.dumps([method, path, body], sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


async def claim(
    conn: asyncpg.Connection, principal: str, key: str, fingerprint: str
) -> StoredResponse | None:
    """Claim `key` for this request; return the stored response when it was handled before."""
    inserted = await conn.fetchval(
        "INSERT INTO idempotency_keys (principal, key, request_hash) VALUES ($1, $2, $3)"
        " ON CONFLICT DO NOTHING RETURNING true",
        principal,
        key,
        fingerprint,
    )
    if inserted:
        return None
    row = await conn.fetchrow(
        "SELECT request_hash, status_code, response, headers FROM idempotency_keys"
        " WHERE principal = $1 AND key = $2",
        principal,
        key,
    )
    if row["request_hash"] != fingerprint:
        raise IdempotencyKeyReused
    headers = json.loads(row["headers"]) if row["headers"] else {}
    return StoredResponse(row["status_code"], json.loads(row["response"]), headers)


async def remember(
    conn: asyncpg.Connection, principal: str, key: str, status_code: int, body: Any,
    headers: Mapping[str, str] | None = None,
) -> None:  # fmt: skip
    await conn.execute(
        "UPDATE idempotency_keys SET status_code = $3, response = $4::jsonb, headers = $5::jsonb"
        " WHERE principal = $1 AND key = $2",
        principal,
        key,
        status_code,
        json.dumps(body, default=str),
        json.dumps(dict(headers or {})),
    )


@dataclass(frozen=True)
class IdempotentCall:
    """A request and the `Idempotency-Key` it came with (None: without one, nothing is kept)."""

    principal: str
    key: str | None
    fingerprint: str

    @classmethod
    def of(cls, request: Request, principal: str, key: str | None, body: Any) -> IdempotentCall:
        fingerprint = request_hash(request.method, request.url.path, body)
        return cls(principal, key or None, fingerprint)

    async def earlier_response(self, conn: asyncpg.Connection) -> JSONResponse | None:
        """The response to this same request handled before, to send again (marked
        `Idempotent-Replayed: true`); None when it is new, the key now claimed for it.
        422 `idempotency_key_reused` when the key came with another request."""
        if self.key is None:
            return None
        stored = await claim(conn, self.principal, self.key, self.fingerprint)
        if stored is None:
            return None
        headers = {**stored.headers, "Idempotent-Replayed": "true"}
        return _response(stored.status_code, stored.body, headers)

    async def respond(
        self, conn: asyncpg.Connection, status_code: int, body: Any,
        headers: Mapping[str, str] | None = None,
    ) -> JSONResponse:  # fmt: skip
        """`body` (and `headers`: a 201's Location) as the response, kept (in the request's
        transaction) for a retry."""
        if self.key is not None:
            await remember(conn, self.principal, self.key, status_code, body, headers)
        return _response(status_code, body, dict(headers or {}))


class _NoContent(JSONResponse):
    """A 204: no body at all (a JSON response would write `null`)."""

    def render(self, content: Any) -> bytes:
        return b""


def _response(status_code: int, body: Any, headers: dict[str, str]) -> JSONResponse:
    kind = _NoContent if status_code == 204 else JSONResponse
    return kind(body, status_code, headers)
