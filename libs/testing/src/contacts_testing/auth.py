"""Bearer tokens for tests, minted with the development settings every service uses."""

from __future__ import annotations

import uuid

from contacts_servicekit.auth import mint_token
from contacts_servicekit.settings import AuthSettings


def bearer(user_id: uuid.UUID | str, *roles: str) -> dict[str, str]:
    """`Authorization` header for `user_id` with `roles`."""
    auth = AuthSettings()
    token = mint_token(
        str(user_id), secret=auth.jwt_secret.get_secret_value(), roles=roles,
        issuer=auth.jwt_issuer, audience=auth.jwt_audience,
    )  # fmt: skip
    return {"Authorization": f"Bearer {token}"}
