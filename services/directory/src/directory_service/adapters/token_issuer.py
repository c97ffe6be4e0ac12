"""Signs access tokens: short-lived EdDSA JWTs every service verifies with the directory's JWKS."""

from __future__ import annotations

import secrets
from uuid import UUID

import asyncpg
from contacts_servicekit.auth import mint_token
from contacts_servicekit.grants import (
    ADD_CONTACT,
    GRANT_SECONDS,
    add_contact_claims,
    grant_audience,
)

from directory_service.adapters.signing_keys import ALGORITHM, Database, SigningKeys
from directory_service.domain.credentials import SessionRules
from directory_service.domain.model import User


class TokenIssuer:
    def __init__(self, keys: SigningKeys, rules: SessionRules, issuer: str, audience: str):
        self.keys, self.rules = keys, rules
        self._issuer, self._audience = issuer, audience

    @property
    def lifetime_seconds(self) -> int:
        return int(self.rules.access_lifetime.total_seconds())

    async def access_token(self, conn: asyncpg.Connection, user: User, session_id: UUID) -> str:
        """A token for ``user`` in session ``session_id``: the company (as ``company`` and
        ``tenant``) when they are a member; no platform roles (those are staff's)."""
        company = str(user.company_id) if user.company_id else None
        return await self._signed(conn, str(user.user_id), company, (), {"sid": str(session_id)})

    async def service_token(self, conn: asyncpg.Connection, client_id: str) -> str:
        """A token with role ``service`` for a platform backend (its client id as subject)."""
        return await self._signed(conn, f"service:{client_id}", None, ("service",), {})

    async def add_contact_grant(self, db: Database, caller: str, connect_id: str) -> str:
        """What lets ``caller`` add ``connect_id`` at the contacts service, for a few minutes
        (the look-up that found it paid for it)."""
        return await self._signed(
            db, caller, None, (), add_contact_claims(connect_id),
            audience=grant_audience(self._audience, ADD_CONTACT), ttl_seconds=GRANT_SECONDS,
        )  # fmt: skip

    async def _signed(
        self, db: Database, subject: str, company: str | None, roles: tuple[str, ...],
        claims: dict[str, str], *, audience: str | None = None, ttl_seconds: int | None = None,
    ) -> str:  # fmt: skip
        key = await self.keys.current(db)
        return mint_token(
            subject, tenant_id=company, company_id=company, roles=roles, issuer=self._issuer,
            audience=audience or self._audience, ttl_seconds=ttl_seconds or self.lifetime_seconds,
            algorithm=ALGORITHM, private_key=key.private_key, key_id=key.kid,
            claims={**claims, "jti": secrets.token_urlsafe(12)},
        )  # fmt: skip
