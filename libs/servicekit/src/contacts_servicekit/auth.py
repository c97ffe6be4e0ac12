"""Bearer JWT authentication: who is calling, checked strictly.

Tokens carry ``sub`` (user id), ``tenant``, ``company``, ``roles`` (list of strings) and the
registered claims ``iss``, ``aud``, ``exp``, ``iat``. :class:`TokenVerifier` checks issuer,
audience and expiry and turns a token into a :class:`Principal`. Which key checks a token
depends on its algorithm, each with its own kind of key (so no algorithm confusion):

- ``EdDSA`` / ``RS256``: the key the token's ``kid`` names in the issuer's key set (the
  directory's JWKS, :mod:`contacts_servicekit.key_set`), or a configured public key;
- ``HS256``: the shared development secret, only where one is given (never in production):
  the tokens ``contacts-token`` mints for development and tests.

A token it has accepted is remembered until it expires (a bounded cache keyed by the whole
token), so a client that sends the same token on every request pays for the check once.
:func:`principal_dependency` makes that a FastAPI dependency; :func:`mint_token` signs tokens.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, Literal

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from fastapi import HTTPException, Security
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from .accepted_tokens import AcceptedTokens
from .key_set import SIGNING_ALGORITHMS, KeySet, jwks_over_http
from .principal import Principal
from .problem import problem_response
from .settings import ACCEPTED_TOKENS_CACHED, AuthSettings

Algorithm = Literal["HS256", "RS256", "EdDSA"]
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
)


class InvalidToken(Exception):
    """The token was refused; ``reason`` says why in a few words ("token expired")."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _KeyNotHeld(InvalidToken):
    """The token names a key the verifier does not hold (yet): fetching the key set may help."""

    def __init__(self, kid: str, algorithm: str) -> None:
        super().__init__("no signing key for this token")
        self.kid, self.algorithm = kid, algorithm


class TokenVerifier:
    """Verifies bearer JWTs for one issuer and audience."""

    def __init__(
        self,
        *,
        issuer: str,
        audience: str,
        secret: str | None = None,
        public_key: str | None = None,
        keys: KeySet | None = None,
        cache_size: int = ACCEPTED_TOKENS_CACHED,
    ) -> None:
        if not (secret or public_key or keys):
            raise ValueError("a verifier needs a secret, a public key or a key set")
        self.issuer, self.audience = issuer, audience
        self._secret = secret or None
        self._public = _public_key(public_key) if public_key else None
        self._keys = keys
        self._accepted = AcceptedTokens(cache_size, LEEWAY_SECONDS)

    @classmethod
    def from_settings(
        cls, settings: AuthSettings, *, keys: KeySet | None = None, audience: str | None = None
    ) -> TokenVerifier:
        """A verifier for the ``JWT_*`` settings (any :class:`ServiceSettings` will do); the
        key set is the JWKS at ``JWT_JWKS_URL`` unless ``keys`` is given (the directory's own);
        ``audience`` replaces ``JWT_AUDIENCE`` (for tokens meant for one use, such as grants)."""
        if keys is None and settings.jwt_jwks_url:
            keys = KeySet(jwks_over_http(settings.jwt_jwks_url))
        return cls(
            issuer=settings.jwt_issuer,
            audience=audience or settings.jwt_audience,
            secret=settings.development_secret,
            public_key=settings.jwt_public_key,
            keys=keys,
            cache_size=settings.jwt_cache_size,
        )

    def verify(self, token: str) -> Principal:
        """The :class:`Principal` the token names; :class:`InvalidToken` if it is not acceptable.

        Uses only the keys already held: :meth:`verify_fetching` also fetches the key set."""
        principal = self._accepted.get(token)
        if principal is not None:
            return principal
        algorithm, key = self._key_for(_header(token))
        return self._check(token, algorithm, key)

    async def verify_fetching(self, token: str) -> Principal:
        """As :meth:`verify`, fetching the issuer's key set when the token names a key not
        held (a rotation) or the held copy is old."""
        principal = self._accepted.get(token)
        if principal is not None:
            return principal
        return self._accept(token, await self.verified_claims(token))

    async def verified_claims(self, token: str) -> dict[str, Any]:
        """Every claim of a token that passes the checks (nothing remembered): for tokens that
        carry more than a caller, such as a grant."""
        try:
            algorithm, key = self._key_for(_header(token))
        except _KeyNotHeld as missing:
            assert self._keys is not None
            found = await self._keys.load(missing.kid)
            if found is None or found.algorithm_name != missing.algorithm:
                raise InvalidToken(missing.reason) from None
            algorithm, key = missing.algorithm, found.key
        return self._decode(token, algorithm, key)

    def _key_for(self, header: dict[str, Any]) -> tuple[str, Any]:
        algorithm, kid = header.get("alg"), header.get("kid")
        if algorithm == "HS256" and self._secret:
            return algorithm, self._secret
        if algorithm not in SIGNING_ALGORITHMS:
            raise InvalidToken("algorithm not allowed")
        if self._keys is not None and isinstance(kid, str):
            key = self._keys.get(kid)
            if key is None:
                raise _KeyNotHeld(kid, algorithm)
            if key.algorithm_name != algorithm:
                raise InvalidToken("algorithm not allowed")
            return algorithm, key.key
        if self._public is not None and self._public[0] == algorithm:
            return self._public
        raise InvalidToken("algorithm not allowed")

    def _check(self, token: str, algorithm: str, key: Any) -> Principal:
        return self._accept(token, self._decode(token, algorithm, key))

    def _accept(self, token: str, claims: dict[str, Any]) -> Principal:
        principal = _principal_from(claims)
        self._accepted.put(token, principal, float(claims["exp"]))
        return principal

    def _decode(self, token: str, algorithm: str, key: Any) -> dict[str, Any]:
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=[algorithm],
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
        return claims


def _header(token: str) -> dict[str, Any]:
    try:
        return jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise InvalidToken("malformed token") from None


def _public_key(pem: str) -> tuple[str, Any]:
    """``(algorithm, key)`` of a PEM public key: RSA signs RS256, Ed25519 signs EdDSA."""
    loaded = load_pem_public_key(pem.encode())
    if isinstance(loaded, RSAPublicKey):
        return "RS256", loaded
    if isinstance(loaded, Ed25519PublicKey):
        return "EdDSA", loaded
    raise ValueError("the public key must be an RSA or Ed25519 key")


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
    """401 with an RFC 6750 challenge; :func:`unauthorized_response` writes it as the platform's
    problem details (field `Authorization`) where the service installs that handler."""

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


def unauthorized_response(error: Unauthorized, instance: str | None = None) -> JSONResponse:
    return problem_response(
        401, error.error, error.reason, "Authorization", instance=instance, headers=error.headers
    )


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
            return await verifier.verify_fetching(credentials.credentials)
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
    private_key: str | bytes | PrivateKeyTypes | None = None,
    key_id: str | None = None,
    claims: Mapping[str, Any] | None = None,
) -> str:
    """A signed token: HS256 with ``secret`` (development and tests), RS256 or EdDSA with a
    private key whose ``key_id`` the issuer's key set publishes; ``claims`` adds claims."""
    now = int(time.time())
    payload: dict[str, Any] = {
        **(claims or {}),
        "sub": user_id,
        "roles": sorted(set(roles)),
        "iss": issuer,
        "aud": audience,
        "iat": now,
        "exp": now + ttl_seconds,
    }
    if tenant_id is not None:
        payload["tenant"] = tenant_id
    if company_id is not None:
        payload["company"] = company_id
    key = secret if algorithm == "HS256" else private_key
    if key is None:
        raise ValueError(f"{algorithm} needs {'secret' if algorithm == 'HS256' else 'private_key'}")
    headers = {"kid": key_id} if key_id else None
    return jwt.encode(payload, key, algorithm=algorithm, headers=headers)  # type: ignore[arg-type]
