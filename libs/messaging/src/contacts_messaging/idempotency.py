"""Idempotency keys for state-changing HTTP requests (`Idempotency-Key` header).

`claim` runs first in the request's transaction. The first request with a key records a hash
of the request and, once handled, its response (`remember`), in the same transaction as the
state change and its outbox events: a retry after a lost response gets the stored response
back and changes nothing, so an event is emitted once however often a client retries. A key
reused for a different request is refused. A request that failed left nothing behind (its
transaction rolled back), so retrying it runs it again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import asyncpg
from contacts_servicekit.errors import Invalid

MAX_KEY_LENGTH = 200


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
        "SELECT request_hash, status_code, response FROM idempotency_keys"
        " WHERE principal = $1 AND key = $2",
        principal,
        key,
    )
    if row["request_hash"] != fingerprint:
        raise IdempotencyKeyReused
    return StoredResponse(row["status_code"], json.loads(row["response"]))


async def remember(
    conn: asyncpg.Connection, principal: str, key: str, status_code: int, body: Any
) -> None:
    await conn.execute(
        "UPDATE idempotency_keys SET status_code = $3, response = $4::jsonb"
        " WHERE principal = $1 AND key = $2",
        principal,
        key,
        status_code,
        json.dumps(body, default=str),
    )
