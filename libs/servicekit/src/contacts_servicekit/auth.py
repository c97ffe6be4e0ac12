"""Bearer JWT authentication: who is calling, checked strictly.

Tokens carry ``sub`` (user id), ``tenant``, ``company``, ``roles`` (list of strings) and the
registered claims ``iss``, ``aud``, ``exp``, ``iat``. :class:`TokenVerifier` accepts only the one
configured algorithm (HS256 with a shared secret, or RS256 with a PEM public key or a JWKS URL),
checks issuer, audience and expiry and turns a token into a :class:`Principal`. A token it has
accepted is remembered until it expires (a bounded cache keyed by the whole token), so a client
that sends the same token on every request pays for the signature check once.
:func:`principal_dependency` makes that a FastAPI dependency; :func:`mint_token` makes tokens for
development and tests.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

import anyio.to_thread
import jwt
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from fastapi import HTTPException, Security
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from .settings import ACCEPTED_TOKENS_CACHED, AuthSettings

Algorithm = Literal["HS256", "RS256"]
LEEWAY_SECONDS = 10
REQUIRED_CLAIMS = ("sub", "exp", "iat", "iss", "aud")

_REASONS: tuple[tuple[type[jwt.PyJWTError], str], ...] = (
    (jwt.ExpiredSignatureError, "token expired"),
    (jwt.InvalidAudienceError, "wrong audience"),
    (jwt.InvalidIssuerError, "wrong issuer"),
    (jwt.ImmatureSignatureError, "token not valid yet"),
    (jwt.InvalidIssuedAtError, "invalid iat claim"),
    (jwt.InvalidAlgorithmError, "algorithm not allowed"),
    (jwt.InvalidSignatureError, "bad signature"),
    (jwt.DecodeError, "malformed token"),
    (jwt.PyJWKClientConnectionError, "signing keys unavailable"),
    (jwt.PyJWKClientError, "no signing key for this token"),
)


class InvalidToken(Exception):
    """The token was refused; ``reason`` says why in a few words ("token expired")."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Principal:
    """The authenticated caller."""

    user_id: str
    tenant_id: str | None
    company_id: str | None
    roles: frozenset[str]

    def has_role(self, role: str) -> bool:
        """Whether the token granted ``role``."""
        return role in self.roles


class TokenVerifier:
    """Verifies bearer JWTs for one issuer, audience and algorithm."""

    def __init__(
        self,
        *,
        issuer: str,
        audience: str,
        algorithm: Algorithm = "HS256",
        secret: str | None = None,
        public_key: str | None = None,
        jwks_url: str | None = None,
        cache_size: int = ACCEPTED_TOKENS_CACHED,
    ) -> None:
        if algorithm not in ("HS256", "RS256"):
            raise ValueError(f"unsupported algorithm {algorithm!r}")
        if algorithm == "HS256" and not secret:
            raise ValueError("HS256 needs a secret")
        if algorithm == "RS256" and not (public_key or jwks_url):
            raise ValueError("RS256 needs a public key or a JWKS URL")
        self.issuer, self.audience, self.algorithm = issuer, audience, algorithm
        self._key: str | RSAPublicKey = secret or ""
        self._jwks: jwt.PyJWKClient | None = None
        if algorithm == "RS256" and public_key:
            loaded = load_pem_public_key(public_key.encode())
            if not isinstance(loaded, RSAPublicKey):
                raise ValueError("RS256 needs an RSA public key")
            self._key = loaded
        elif algorithm == "RS256" and jwks_url:
            self._jwks = jwt.PyJWKClient(jwks_url)
        self._accepted = _AcceptedTokens(cache_size)

    @classmethod
    def from_settings(cls, settings: AuthSettings) -> TokenVerifier:
        """A verifier for the ``JWT_*`` settings (any :class:`ServiceSettings` will do)."""
        return cls(
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            algorithm=settings.jwt_algorithm,
            secret=settings.jwt_secret.get_secret_value(),
            public_key=settings.jwt_public_key,
            jwks_url=settings.jwt_jwks_url,
            cache_size=settings.jwt_cache_size,
        )

    @property
    def fetches_keys(self) -> bool:
        """Whether :meth:`verify` may do network I/O (JWKS); then call it off the event loop."""
        return self._jwks is not None

    def verify(self, token: str) -> Principal:
        """The :class:`Principal` the token names; :class:`InvalidToken` if it is not acceptable."""
        principal = self._accepted.get(token)
        if principal is not None:
            return principal
        principal, expires_at = self._check(token)
        self._accepted.put(token, principal, expires_at)
        return principal

    def _check(self, token: str) -> tuple[Principal, float]:
        try:
            key = self._jwks.get_signing_key_from_jwt(token).key if self._jwks else self._key
            claims = jwt.decode(
                token,
                key,
                algorithms=[self.algorithm],
                audience=self.audience,
                issuer=self.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": list(REQUIRED_CLAIMS)},
            )
        except jwt.MissingRequiredClaimError as error:
            raise InvalidToken(f"missing claim '{error.claim}'") from None
        except jwt.PyJWTError as error:
            reason = next((text for kind, text in _REASONS if isinstance(error, kind)), str(error))
            raise InvalidToken(reason) from None
        return _principal_from(claims), float(claims["exp"])


class _AcceptedTokens:
    """Tokens already verified, each until its ``exp`` (the same leeway as a fresh check).

    Bounded: when full, the least recently used entry goes. Keyed by the whole token, so a
    token differing in any byte is checked afresh. A lock keeps it safe for verifications run
    in threads (JWKS).

    An entry holds only strings (the roles in a tuple) and a float, so the garbage collector
    stops tracking it after its first collections: a full cache adds nothing to the later ones. (Entries holding a ``Principal`` were two tracked
    objects each; with callers coming and going they were promoted to the oldest generation
    and made the full collections that pause the event loop frequent and long.)
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, token: str) -> Principal | None:
        entry = self._entries.get(token)
        if entry is None:
            return None
        user_id, tenant_id, company_id, roles, expires_at = entry
        with self._lock:
            if time.time() >= expires_at + LEEWAY_SECONDS:
                self._entries.pop(token, None)
                return None
            if token in self._entries:
                self._entries.move_to_end(token)
        return Principal(user_id, tenant_id, company_id, frozenset(roles))

    def put(self, token: str, principal: Principal, expires_at: float) -> None:
        if self._size <= 0:
            return
        p = principal
        entry = (p.user_id, p.tenant_id, p.company_id, tuple(sorted(p.roles)), expires_at)
        with self._lock:
            self._entries[token] = entry
            self._entries.move_to_end(token)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)


_Entry = tuple[str, str | None, str | None, tuple[str, ...], float]


def _principal_from(claims: dict[str, Any]) -> Principal:
    user_id, tenant, company, roles = (claims.get(k) for k in ("sub", "tenant", "company", "roles"))
    if not isinstance(user_id, str) or not user_id:
        raise InvalidToken("claim 'sub' must be a non-empty string")
    for name, value in (("tenant", tenant), ("company", company)):
        if value is not None and not isinstance(value, str):
            raise InvalidToken(f"claim '{name}' must be a string")
    if roles is None:
        roles = []
    if not isinstance(roles, list) or not all(isinstance(role, str) for role in roles):
        raise InvalidToken("claim 'roles' must be a list of strings")
    return Principal(user_id, tenant, company, frozenset(roles))


class Unauthorized(HTTPException):
    """401 with an RFC 6750 challenge; :func:`unauthorized_response` writes it in the platform's
    error shape (``{"error", "message", "field"}``) where the service installs that handler."""

    def __init__(self, error: str, reason: str) -> None:
        description = reason.replace("\\", "/").replace('"', "'")
        challenge = f'Bearer error="{error}", error_description="{description}"'
        if error == "missing_token":
            challenge = "Bearer"  # RFC 6750 section 3.1: no error code when no credentials came
        super().__init__(
            status_code=401,
            detail={"error": error, "reason": reason},
            headers={"WWW-Authenticate": challenge},
        )
        self.error, self.reason = error, reason


def unauthorized_response(error: Unauthorized) -> JSONResponse:
    body = {"error": error.error, "message": error.reason, "field": "Authorization"}
    return JSONResponse(body, status_code=401, headers=error.headers)


def principal_dependency(
    verifier: TokenVerifier,
) -> Callable[[HTTPAuthorizationCredentials | None], Awaitable[Principal]]:
    """A FastAPI dependency returning the caller's :class:`Principal` or answering 401.

    Use as ``Annotated[Principal, Depends(principal_dependency(verifier))]``; the bearer scheme
    also appears in the OpenAPI document.
    """
    bearer = HTTPBearer(auto_error=False, description="JWT minted by the identity provider")

    async def current_principal(
        credentials: HTTPAuthorizationCredentials | None = Security(bearer),  # noqa: B008
    ) -> Principal:
        if credentials is None or not credentials.credentials:
            raise Unauthorized("missing_token", "missing 'Authorization: Bearer <token>' header")
        try:
            if verifier.fetches_keys:
                return await anyio.to_thread.run_sync(verifier.verify, credentials.credentials)
            return verifier.verify(credentials.credentials)
        except InvalidToken as error:
            raise Unauthorized("invalid_token", error.reason) from None

    return current_principal


def mint_token(
    user_id: str,
    *,
    secret: str | None = None,
    tenant_id: str | None = None,
    company_id: str | None = None,
    roles: Iterable[str] = (),
    issuer: str,
    audience: str,
    ttl_seconds: int = 3600,
    algorithm: Algorithm = "HS256",
    private_key: str | bytes | RSAPrivateKey | None = None,
) -> str:
    """A signed token for development and tests (HS256 with ``secret``, RS256 with a key)."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": user_id,
        "roles": sorted(set(roles)),
        "iss": issuer,
        "aud": audience,
        "iat": now,
        "exp": now + ttl_seconds,
    }
    if tenant_id is not None:
        claims["tenant"] = tenant_id
    if company_id is not None:
        claims["company"] = company_id
    key = secret if algorithm == "HS256" else private_key
    if key is None:
        raise ValueError(f"{algorithm} needs {'secret' if algorithm == 'HS256' else 'private_key'}")
    return jwt.encode(claims, key, algorithm=algorithm)
