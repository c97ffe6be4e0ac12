"""Signing in (directory, /v1/auth): the code flow, sessions, backends' tokens, signing keys.

A sign-in, refresh or service token answered here becomes the client's session (and goes to
its ``save_tokens``); signing out ends it.
"""

from __future__ import annotations

from contacts_client.call import Call, model, nothing, present
from contacts_client.models.auth import CodeSent, KeySet, SignedIn, SigningKey, Tokens
from contacts_client.operation import Group, S, operation


def request_sign_in_code(phone: str) -> Call[CodeSent]:
    """Send a six-digit code by SMS to ``phone`` (E.164), to sign in or, if the number is new,
    to sign up. The answer is the same either way."""
    return Call(
        "POST", "directory", "/v1/auth/codes", model(CodeSent), json={"phone": phone},
        authenticated=False,
    )  # fmt: skip


def sign_in(
    phone: str, code: str, *, display_name: str | None = None,
    invitation_token: str | None = None,
) -> Call[SignedIn]:  # fmt: skip
    """Exchange the number and its code for tokens, which the client then uses. A new number
    signs up: give ``display_name`` (and the ``invitation_token`` of an invitation link)."""
    body = present(
        phone=phone, code=code, display_name=display_name, invitation_token=invitation_token
    )
    return Call(
        "POST", "directory", "/v1/auth/sign-in", model(SignedIn), json=body,
        authenticated=False, tokens="adopt",
    )  # fmt: skip


def refresh_tokens(refresh_token: str | None = None) -> Call[Tokens]:
    """New tokens for a refresh token (default: the client's own), which is then used up. The
    client refreshes by itself when a service refuses an expired token."""
    return Call(
        "POST", "directory", "/v1/auth/refresh", model(Tokens),
        json={"refresh_token": refresh_token}, authenticated=False, tokens="adopt",
    )  # fmt: skip


def sign_out(refresh_token: str | None = None) -> Call[None]:
    """Close the session of a refresh token (default: the client's own, forgotten after)."""
    return Call(
        "POST", "directory", "/v1/auth/sign-out", nothing, json={"refresh_token": refresh_token},
        authenticated=False, idempotent=True, tokens="forget",
    )  # fmt: skip


def issue_service_token(client_id: str, client_secret: str) -> Call[Tokens]:
    """A token with role ``service`` for a platform backend (its client id and secret), which
    the client then uses, and issues anew when it expires."""
    return Call(
        "POST", "directory", "/v1/auth/service-token", model(Tokens),
        basic_auth=(client_id, client_secret), idempotent=True, tokens="adopt",
    )  # fmt: skip


def rotate_signing_key() -> Call[SigningKey]:
    """Sign tokens with a new key from now on (platform ``admin`` role)."""
    return Call("POST", "directory", "/v1/auth/signing-keys", model(SigningKey))


def read_signing_keys() -> Call[KeySet]:
    """The public keys access tokens are verified with (JWKS, no token needed)."""
    return Call("GET", "directory", "/.well-known/jwks.json", model(KeySet), authenticated=False)


class Auth(Group[S]):
    """Sign-in by code, sessions, backends' tokens and the signing keys."""

    request_sign_in_code = operation(request_sign_in_code)
    sign_in = operation(sign_in)
    refresh_tokens = operation(refresh_tokens)
    sign_out = operation(sign_out)
    issue_service_token = operation(issue_service_token)
    rotate_signing_key = operation(rotate_signing_key)
    read_signing_keys = operation(read_signing_keys)
