"""Tokens every service must refuse: each one is a valid development token but for one flaw."""

from __future__ import annotations

import base64
import json
import time
import uuid
from typing import Any

import jwt
from contacts_servicekit.settings import AuthSettings


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(**changes: Any) -> dict[str, Any]:
    auth, now = AuthSettings(), int(time.time())
    claims = {"sub": str(uuid.uuid4()), "roles": ["admin", "service"], "iss": auth.jwt_issuer,
              "aud": auth.jwt_audience, "iat": now, "exp": now + 3600}  # fmt: skip
    claims.update(changes)
    return {key: value for key, value in claims.items() if value is not None}


def _signed(claims: dict[str, Any], secret: str | None = None) -> str:
    key = secret or AuthSettings().jwt_secret.get_secret_value()
    return jwt.encode(claims, key, algorithm="HS256")


def _tampered() -> str:
    """A genuine token whose payload was edited (another subject, the staff role) after signing."""
    header, _, signature = _signed(_claims(roles=[])).split(".")
    payload = _b64(json.dumps(_claims()).encode())
    return f"{header}.{payload}.{signature}"


def _unsigned() -> str:
    """`alg: none`, no signature."""
    header = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    return f"{header}.{_b64(json.dumps(_claims()).encode())}."


def bad_tokens() -> dict[str, str]:
    """Name of the flaw -> the token."""
    now = int(time.time())
    return {
        "tampered": _tampered(),
        "expired": _signed(_claims(iat=now - 7200, exp=now - 3600)),
        "wrong audience": _signed(_claims(aud="another-platform")),
        "wrong issuer": _signed(_claims(iss="https://evil.example")),
        "alg none": _unsigned(),
        "another secret": _signed(_claims(), secret="not-the-platform-secret-at-all-0123456789"),  # noqa: S106 - a forgery
        "no expiry": _signed(_claims(exp=None)),
        "not yet valid": _signed(_claims(iat=now + 3600, nbf=now + 3600, exp=now + 7200)),
        "not a jwt": "not-a-jwt",
    }
