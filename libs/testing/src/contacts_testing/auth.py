"""Bearer tokens for tests, minted with the development settings every service uses."""

from __future__ import annotations

import uuid

from contacts_events.connect_id import parse
from contacts_servicekit.auth import mint_token
from contacts_servicekit.grants import (
    ADD_CONTACT,
    GRANT_SECONDS,
    add_contact_claims,
    grant_audience,
)
from contacts_servicekit.settings import AuthSettings


def bearer(user_id: uuid.UUID | str, *roles: str) -> dict[str, str]:
    """`Authorization` header for `user_id` with `roles`."""
    auth = AuthSettings()
    token = mint_token(
        str(user_id), secret=auth.jwt_secret.get_secret_value(), roles=roles,
        issuer=auth.jwt_issuer, audience=auth.jwt_audience,
    )  # fmt: skip
    return {"Authorization": f"Bearer {token}"}


def add_token(user_id: uuid.UUID | str, connect_id: str) -> str:
    """An add-contact grant for `user_id` and `connect_id`, as the directory's look-up gives one
    (signed with the development secret, which the services accept outside production)."""
    auth = AuthSettings()
    return mint_token(
        str(user_id), secret=auth.jwt_secret.get_secret_value(), issuer=auth.jwt_issuer,
        audience=grant_audience(auth.jwt_audience, ADD_CONTACT), ttl_seconds=GRANT_SECONDS,
        claims=add_contact_claims(parse(connect_id)),
    )  # fmt: skip


def add_body(user_id: uuid.UUID | str, connect_id: str) -> dict[str, str]:
    """The body of `POST /v1/contacts` adding `connect_id`, with its grant."""
    return {"connect_id": connect_id, "add_token": add_token(user_id, connect_id)}
