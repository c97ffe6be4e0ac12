"""The Ed25519 keys that sign access tokens, kept in Postgres so every instance signs alike.

The newest key that is not retired signs. Rotating retires it and makes a new one; the JWKS
document (``/.well-known/jwks.json``) keeps publishing a retired key as long as a token it
signed may still be valid, and the services that verify tokens fetch the document again when a
token names a key they do not hold, so a rotation needs no restart anywhere.

Private keys are stored encrypted (PKCS#8, a password derived from ``AUTH_SECRET``): a copy of
the table alone cannot sign. The first key is made when the first token is signed (under an
advisory lock, so instances starting together make one).
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, TypeAlias

import asyncpg
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ALGORITHM: Literal["EdDSA"] = "EdDSA"
Database: TypeAlias = asyncpg.Pool | asyncpg.Connection
_LOCK = 0x5161_4B45_5953  # pg_advisory_xact_lock key of key creation ("SIGKEYS")
_PUBLISHED_AFTER_RETIREMENT = timedelta(minutes=1)  # beyond the access tokens' lifetime


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: Ed25519PrivateKey


class SigningKeys:
    def __init__(self, password: bytes, token_lifetime: timedelta, cache_seconds: float = 10):
        self._password = password
        self._published_for = token_lifetime + _PUBLISHED_AFTER_RETIREMENT
        self._cache_seconds = cache_seconds
        self._current: tuple[float, SigningKey] | None = None

    async def current(self, db: Database) -> SigningKey:
        """The key that signs now (read again every few seconds: another instance may rotate)."""
        if self._current and time.monotonic() - self._current[0] < self._cache_seconds:
            return self._current[1]
        async with _connection(db) as conn:
            row = await conn.fetchrow(
                "SELECT kid, private_pem FROM signing_keys WHERE retired_at IS NULL"
                " ORDER BY created_at DESC LIMIT 1"
            )
            key = self._loaded(row) if row else await self._first(conn)
        self._current = (time.monotonic(), key)
        return key

    async def rotate(self, conn: asyncpg.Connection) -> SigningKey:
        """Retire the signing key and sign with a new one from now on."""
        async with conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", _LOCK)
            await conn.execute(
                "UPDATE signing_keys SET retired_at = now() WHERE retired_at IS NULL"
            )
            key = await self._insert(conn)
        self._current = (time.monotonic(), key)
        return key

    async def jwks(self, conn: asyncpg.Connection) -> dict[str, Any]:
        """The public keys a verifier may meet in a valid token: the JWKS document."""
        await self.current(conn)  # the first key exists before anyone fetches the set
        cutoff = datetime.now(UTC) - self._published_for
        rows = await conn.fetch(
            "SELECT public_jwk FROM signing_keys WHERE retired_at IS NULL OR retired_at > $1"
            " ORDER BY created_at DESC",
            cutoff,
        )
        return {"keys": [json.loads(row["public_jwk"]) for row in rows]}

    async def _first(self, conn: asyncpg.Connection) -> SigningKey:
        async with conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", _LOCK)
            row = await conn.fetchrow(
                "SELECT kid, private_pem FROM signing_keys WHERE retired_at IS NULL"
                " ORDER BY created_at DESC LIMIT 1"
            )
            return self._loaded(row) if row else await self._insert(conn)

    async def _insert(self, conn: asyncpg.Connection) -> SigningKey:
        private = Ed25519PrivateKey.generate()
        kid = f"{datetime.now(UTC):%Y%m%d}-{secrets.token_hex(6)}"
        public = json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(private.public_key()))
        public |= {"kid": kid, "use": "sig", "alg": ALGORITHM}
        encrypted = private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(self._password),
        )
        await conn.execute(
            "INSERT INTO signing_keys (kid, private_pem, public_jwk) VALUES ($1, $2, $3)",
            kid, encrypted, json.dumps(public),
        )  # fmt: skip
        return SigningKey(kid, private)

    def _loaded(self, row: asyncpg.Record) -> SigningKey:
        private = serialization.load_pem_private_key(row["private_pem"], self._password)
        if not isinstance(private, Ed25519PrivateKey):
            raise TypeError(f"signing key {row['kid']} is not an Ed25519 key")
        return SigningKey(row["kid"], private)


@asynccontextmanager
async def _connection(db: Database) -> AsyncIterator[asyncpg.Connection]:
    if isinstance(db, asyncpg.Pool):
        async with db.acquire() as conn:
            yield conn
    else:
        yield db
