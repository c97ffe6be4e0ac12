"""A browser's session secret: what its cookie holds, and everything derived from it.

The secret (32 random bytes) never leaves the browser's cookie and this process's memory.
From it come the session's row id (a SHA-256: the table never holds the secret), the key its
tokens are sealed with (HKDF, AES-GCM: the table alone reads no token) and its CSRF token (an
HMAC: a page of another site cannot compute it, as it cannot read the cookie).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

SECRET_BYTES = 32
_NONCE_BYTES = 12


class SealBroken(ValueError):
    """Sealed data that this secret did not seal, or that was changed."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass(frozen=True)
class SessionSecret:
    raw: bytes

    @classmethod
    def new(cls) -> SessionSecret:
        return cls(secrets.token_bytes(SECRET_BYTES))

    @classmethod
    def from_cookie(cls, value: str | None) -> SessionSecret | None:
        """The secret of a cookie value, or None for a missing or malformed one."""
        if not value or len(value) != 43:  # 32 bytes in unpadded base64url
            return None
        try:
            raw = base64.urlsafe_b64decode(value + "=")
        except (binascii.Error, ValueError):
            return None
        return cls(raw) if len(raw) == SECRET_BYTES else None

    @property
    def cookie_value(self) -> str:
        return _b64(self.raw)

    @property
    def row_id(self) -> bytes:
        return hashlib.sha256(b"contacts-web/session-row\0" + self.raw).digest()

    @property
    def csrf_token(self) -> str:
        return _b64(hmac.digest(self.raw, b"contacts-web/csrf", "sha256"))

    def accepts_csrf_token(self, token: str | None) -> bool:
        return token is not None and hmac.compare_digest(token.encode(), self.csrf_token.encode())

    def seal(self, plain: bytes) -> bytes:
        nonce = os.urandom(_NONCE_BYTES)
        return nonce + AESGCM(self._key()).encrypt(nonce, plain, self.row_id)

    def open(self, sealed: bytes) -> bytes:
        try:
            return AESGCM(self._key()).decrypt(
                sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:], self.row_id
            )
        except (InvalidTag, ValueError) as error:
            raise SealBroken("the sealed session does not open with this secret") from error

    def _key(self) -> bytes:
        return HKDF(hashes.SHA256(), 32, salt=None, info=b"contacts-web/tokens").derive(self.raw)

    def __repr__(self) -> str:  # never print the secret
        return "SessionSecret(...)"
