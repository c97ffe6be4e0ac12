"""Bearer JWTs: what TokenVerifier accepts, what it refuses and why, and the 401 it leads to."""

from __future__ import annotations

import base64
import gc
import hashlib
import hmac
import json
import time
from typing import Annotated, Any

import jwt
import pytest
from contacts_servicekit.auth import (
    InvalidToken,
    Principal,
    TokenVerifier,
    mint_token,
    principal_dependency,
)
from contacts_servicekit.errors import install_error_handlers
from contacts_servicekit.settings import DEV_JWT_SECRET, AuthSettings
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import Depends, FastAPI
from httpx import ASGITransport, AsyncClient

pytestmark = pytest.mark.unit

SECRET = "test-secret-which-is-at-least-32-bytes"
ISSUER, AUDIENCE = "contacts-platform-test", "contacts-platform"


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_pem(key: rsa.RSAPrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def hs256_verifier() -> TokenVerifier:
    return TokenVerifier(issuer=ISSUER, audience=AUDIENCE, secret=SECRET)


def rs256_verifier(key: rsa.RSAPrivateKey) -> TokenVerifier:
    return TokenVerifier(issuer=ISSUER, audience=AUDIENCE, public_key=public_pem(key))


def hs256_token(user_id: str = "u1", **overrides: Any) -> str:
    options: dict[str, Any] = {"secret": SECRET, "issuer": ISSUER, "audience": AUDIENCE}
    return mint_token(user_id, **(options | overrides))


def reason_for(verifier: TokenVerifier, token: str) -> str:
    with pytest.raises(InvalidToken) as caught:
        verifier.verify(token)
    return caught.value.reason


def valid_claims() -> dict[str, Any]:
    return jwt.decode(hs256_token(), options={"verify_signature": False})


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_valid_token_round_trips_to_a_principal() -> None:
    token = hs256_token("u1", tenant_id="t1", company_id="c1", roles=["admin", "viewer"])

    principal = hs256_verifier().verify(token)

    assert principal == Principal("u1", "t1", "c1", frozenset({"admin", "viewer"}))
    assert principal.has_role("admin")
    assert not principal.has_role("owner")


def test_tenant_company_and_roles_are_optional() -> None:
    principal = hs256_verifier().verify(hs256_token("u2"))

    assert principal == Principal("u2", None, None, frozenset())


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"ttl_seconds": -60}, "token expired"),
        ({"audience": "other-app"}, "wrong audience"),
        ({"issuer": "evil-issuer"}, "wrong issuer"),
        ({"secret": "another-secret-which-is-at-least-32-bytes"}, "bad signature"),
    ],
)
def test_token_is_refused_with_a_clear_reason(overrides: dict[str, Any], reason: str) -> None:
    assert reason_for(hs256_verifier(), hs256_token(**overrides)) == reason


def test_expiry_has_a_small_leeway_for_clock_skew() -> None:
    assert hs256_verifier().verify(hs256_token(ttl_seconds=-5)).user_id == "u1"


def test_tampered_payload_is_refused() -> None:
    header, payload, signature = hs256_token(roles=["viewer"]).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    forged = b64(json.dumps(claims | {"roles": ["admin"]}).encode())

    assert reason_for(hs256_verifier(), f"{header}.{forged}.{signature}") == "bad signature"


def test_tampered_signature_is_refused() -> None:
    header, payload, signature = hs256_token().split(".")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]

    assert reason_for(hs256_verifier(), f"{header}.{payload}.{flipped}") == "bad signature"


def test_unsigned_alg_none_token_is_refused() -> None:
    claims = valid_claims()
    unsigned = jwt.encode(claims, key="", algorithm="none")

    assert reason_for(hs256_verifier(), unsigned) == "algorithm not allowed"


def test_hs256_token_is_refused_by_an_rs256_verifier(rsa_key: rsa.RSAPrivateKey) -> None:
    assert reason_for(rs256_verifier(rsa_key), hs256_token()) == "algorithm not allowed"


def test_rs256_token_is_refused_by_an_hs256_verifier(rsa_key: rsa.RSAPrivateKey) -> None:
    token = mint_token(
        "u1", issuer=ISSUER, audience=AUDIENCE, algorithm="RS256", private_key=rsa_key
    )

    assert rs256_verifier(rsa_key).verify(token).user_id == "u1"
    assert reason_for(hs256_verifier(), token) == "algorithm not allowed"


def test_public_key_used_as_hmac_secret_is_refused(rsa_key: rsa.RSAPrivateKey) -> None:
    """The classic algorithm-confusion attack: HS256 keyed with the RS256 public key."""
    claims = valid_claims()
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    signing_input = f"{header}.{b64(json.dumps(claims).encode())}"
    mac = hmac.new(public_pem(rsa_key).encode(), signing_input.encode(), hashlib.sha256)

    forged = f"{signing_input}.{b64(mac.digest())}"

    assert reason_for(rs256_verifier(rsa_key), forged) == "algorithm not allowed"


@pytest.mark.parametrize("claim", ["sub", "exp", "iat", "iss", "aud"])
def test_required_claims_must_be_present(claim: str) -> None:
    claims = valid_claims()
    del claims[claim]
    token = jwt.encode(claims, SECRET, algorithm="HS256")

    assert reason_for(hs256_verifier(), token) == f"missing claim '{claim}'"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"sub": ""}, "claim 'sub' must be a non-empty string"),
        ({"roles": "admin"}, "claim 'roles' must be a list of strings"),
        ({"roles": [1]}, "claim 'roles' must be a list of strings"),
        ({"tenant": 7}, "claim 'tenant' must be a string"),
    ],
)
def test_malformed_claims_are_refused(change: dict[str, Any], reason: str) -> None:
    claims = valid_claims()
    token = jwt.encode(claims | change, SECRET, algorithm="HS256")

    assert reason_for(hs256_verifier(), token) == reason


@pytest.mark.parametrize("garbage", ["", "not-a-jwt", "a.b.c"])
def test_garbage_is_a_malformed_token(garbage: str) -> None:
    assert reason_for(hs256_verifier(), garbage) == "malformed token"


def test_verifier_from_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JWT_SECRET", SECRET)
    monkeypatch.setenv("JWT_ISSUER", ISSUER)
    monkeypatch.setenv("JWT_AUDIENCE", AUDIENCE)
    monkeypatch.delenv("ENVIRONMENT", raising=False)

    verifier = TokenVerifier.from_settings(AuthSettings())

    assert verifier.verify(hs256_token("u9")).user_id == "u9"


def test_verifier_needs_key_material() -> None:
    with pytest.raises(ValueError, match="a verifier needs a secret, a public key or a key set"):
        TokenVerifier(issuer=ISSUER, audience=AUDIENCE)


def test_production_settings_take_no_hs256_development_token(
    monkeypatch: pytest.MonkeyPatch, rsa_key: rsa.RSAPrivateKey
) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("JWT_ISSUER", ISSUER)
    monkeypatch.setenv("JWT_AUDIENCE", AUDIENCE)
    monkeypatch.setenv("JWT_PUBLIC_KEY", public_pem(rsa_key))
    monkeypatch.setenv("JWT_JWKS_URL", "")
    verifier = TokenVerifier.from_settings(AuthSettings())
    development = mint_token("u1", secret=DEV_JWT_SECRET, issuer=ISSUER, audience=AUDIENCE)

    assert reason_for(verifier, development) == "algorithm not allowed"


CurrentPrincipal = Annotated[Principal, Depends(principal_dependency(hs256_verifier()))]


def api_client() -> AsyncClient:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/me")
    async def me(principal: CurrentPrincipal) -> dict[str, str]:
        return {"user_id": principal.user_id}

    return AsyncClient(transport=ASGITransport(app=app), base_url="http://test")


async def test_dependency_returns_the_principal() -> None:
    async with api_client() as client:
        response = await client.get("/me", headers={"Authorization": f"Bearer {hs256_token()}"})

    assert response.status_code == 200
    assert response.json() == {"user_id": "u1"}


async def test_dependency_answers_401_with_the_reason_for_a_bad_token() -> None:
    expired = hs256_token(ttl_seconds=-60)

    async with api_client() as client:
        response = await client.get("/me", headers={"Authorization": f"Bearer {expired}"})

    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "urn:contacts:error:invalid_token",
        "title": "Unauthorized",
        "status": 401,
        "detail": "token expired",
        "instance": "/me",
        "error": "invalid_token",
        "field": "Authorization",
    }
    assert response.headers["WWW-Authenticate"] == (
        'Bearer error="invalid_token", error_description="token expired"'
    )


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Basic dTE6cHc="}])
async def test_dependency_answers_401_without_a_bearer_token(headers: dict[str, str]) -> None:
    async with api_client() as client:
        response = await client.get("/me", headers=headers)

    assert response.status_code == 401
    assert response.json() == {
        "type": "urn:contacts:error:missing_token",
        "title": "Unauthorized",
        "status": 401,
        "detail": "missing 'Authorization: Bearer <token>' header",
        "instance": "/me",
        "error": "missing_token",
        "field": "Authorization",
    }
    assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_bearer_scheme_is_documented_in_openapi() -> None:
    async with api_client() as client:
        schema = (await client.get("/openapi.json")).json()

    assert schema["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"


def test_mint_token_needs_a_key() -> None:
    with pytest.raises(ValueError, match="HS256 needs secret"):
        mint_token("u1", issuer=ISSUER, audience=AUDIENCE)


def test_an_accepted_token_is_checked_once_then_again_after_it_expires(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    verifier = hs256_verifier()
    checks: list[str] = []
    check = verifier._check
    monkeypatch.setattr(
        verifier, "_check", lambda token, *key: checks.append(token) or check(token, *key)
    )
    token = hs256_token(ttl_seconds=60)
    for _ in range(3):
        assert verifier.verify(token).user_id == "u1"
    assert len(checks) == 1  # remembered
    later = time.time() + 60 + 11  # past exp and the leeway
    monkeypatch.setattr(time, "time", lambda: later)

    assert verifier._accepted.get(token) is None
    verifier.verify(token)  # (PyJWT's own clock still says valid)
    assert len(checks) == 2


def test_a_tampered_copy_of_an_accepted_token_is_still_refused() -> None:
    verifier = hs256_verifier()
    header, payload, signature = hs256_token(roles=["viewer"]).split(".")
    assert verifier.verify(f"{header}.{payload}.{signature}").roles == {"viewer"}
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    forged = b64(json.dumps(claims | {"roles": ["admin"]}).encode())

    assert reason_for(verifier, f"{header}.{forged}.{signature}") == "bad signature"


def test_the_accepted_token_cache_is_bounded_and_still_verifies_what_it_dropped() -> None:
    verifier = TokenVerifier(issuer=ISSUER, audience=AUDIENCE, secret=SECRET, cache_size=2)
    tokens = [hs256_token(f"u{n}") for n in range(5)]
    for token in tokens:
        verifier.verify(token)

    assert len(verifier._accepted._entries) == 2
    assert [verifier.verify(token).user_id for token in tokens] == [f"u{n}" for n in range(5)]


def test_a_remembered_token_gives_the_same_principal_as_its_first_check() -> None:
    verifier = hs256_verifier()
    token = hs256_token("u7", tenant_id="t1", company_id="c1", roles=["viewer", "admin"])
    first = verifier.verify(token)

    assert verifier.verify(token) == first
    assert first.roles == {"viewer", "admin"}
    assert (first.tenant_id, first.company_id) == ("t1", "c1")


def test_remembered_tokens_are_not_tracked_by_the_garbage_collector() -> None:
    verifier = hs256_verifier()
    for n in range(100):
        verifier.verify(hs256_token(f"u{n}", roles=["viewer"]))
    gc.collect()  # a collection untracks the roles tuple (of strings) ...
    gc.collect()  # ... and the next one the entry that holds it: they never get old

    assert len(verifier._accepted._entries) == 100
    assert not any(gc.is_tracked(entry) for entry in verifier._accepted._entries.values())


def test_jwt_cache_size_bounds_the_remembered_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JWT_SECRET", SECRET)
    monkeypatch.setenv("JWT_ISSUER", ISSUER)
    monkeypatch.setenv("JWT_AUDIENCE", AUDIENCE)
    monkeypatch.setenv("JWT_CACHE_SIZE", "3")
    verifier = TokenVerifier.from_settings(AuthSettings())
    for n in range(5):
        verifier.verify(hs256_token(f"u{n}"))

    assert len(verifier._accepted._entries) == 3


def test_the_token_cache_forgets_the_least_recently_used_token_first() -> None:
    verifier = TokenVerifier(issuer=ISSUER, audience=AUDIENCE, secret=SECRET, cache_size=2)
    first, second, third = (hs256_token(f"u{n}") for n in range(3))
    for token in (first, second, first, third):  # `first` was used after `second`
        verifier.verify(token)

    assert set(verifier._accepted._entries) == {first, third}
