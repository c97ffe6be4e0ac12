"""Answers of sign-in, sessions and the signing keys (directory, /v1/auth)."""

from __future__ import annotations

from typing import Any

from contacts_client.models.base import Model
from contacts_client.models.users import User


class Tokens(Model):
    """A session: send ``access_token`` as a bearer; ``refresh_token`` (use once) renews it."""

    access_token: str
    token_type: str = "Bearer"  # noqa: S105 - the scheme, not a secret
    expires_in: int | None = None
    refresh_token: str | None = None


class SignedIn(Tokens):
    user: User
    signed_up: bool  # true when this sign-in created the account


class CodeSent(Model):
    expires_in: int  # seconds the code stays valid
    attempts: int  # wrong codes accepted before a new one is needed


class SigningKey(Model):
    kid: str


class KeySet(Model):
    """The JSON Web Key Set the services verify access tokens with (RFC 7517)."""

    keys: list[dict[str, Any]]
