"""The issuer's key set: rotation without a restart, withdrawn keys, an unreachable issuer."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import Any

import jwt
import pytest
from contacts_servicekit.auth import InvalidToken, TokenVerifier, mint_token
from contacts_servicekit.key_set import KeySet
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

pytestmark = pytest.mark.unit

ISSUER, AUDIENCE = "directory-test", "contacts-platform"


def public_jwk(key: Ed25519PrivateKey, kid: str) -> dict[str, Any]:
    jwk = json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(key.public_key()))
    return jwk | {"kid": kid, "use": "sig", "alg": "EdDSA"}


class Issuer:
    """A JWKS the test changes, counting how often it is fetched; `down` makes fetches fail."""

    def __init__(self) -> None:
        self.keys: dict[str, Ed25519PrivateKey] = {}
        self.fetches = 0
        self.down = False

    def rotate(self, kid: str) -> None:
        self.keys[kid] = Ed25519PrivateKey.generate()

    async def fetch(self) -> Mapping[str, Any]:
        self.fetches += 1
        if self.down:
            raise ConnectionError("directory down")
        return {"keys": [public_jwk(key, kid) for kid, key in self.keys.items()]}

    def token(self, kid: str, user: str = "u1") -> str:
        return mint_token(
            user, issuer=ISSUER, audience=AUDIENCE, algorithm="EdDSA",
            private_key=self.keys[kid], key_id=kid,
        )  # fmt: skip


def verifier(issuer: Issuer, **options: float) -> TokenVerifier:
    keys = KeySet(issuer.fetch, **({"min_interval": 0.0} | options))
    return TokenVerifier(issuer=ISSUER, audience=AUDIENCE, keys=keys, cache_size=0)


async def refused(verifier: TokenVerifier, token: str) -> str:
    with pytest.raises(InvalidToken) as caught:
        await verifier.verify_fetching(token)
    return caught.value.reason


async def test_a_rotated_key_is_fetched_when_a_token_names_it() -> None:
    issuer = Issuer()
    issuer.rotate("k1")
    checking = verifier(issuer)
    assert (await checking.verify_fetching(issuer.token("k1"))).user_id == "u1"

    issuer.rotate("k2")  # the issuer signs with a new key from now on; no restart here

    assert (await checking.verify_fetching(issuer.token("k2", "u2"))).user_id == "u2"
    assert (await checking.verify_fetching(issuer.token("k1", "u3"))).user_id == "u3"
    assert issuer.fetches == 2


async def test_an_unknown_key_id_is_refused_after_one_fetch() -> None:
    issuer = Issuer()
    issuer.rotate("k1")
    checking = verifier(issuer)
    forged = mint_token(
        "u1", issuer=ISSUER, audience=AUDIENCE, algorithm="EdDSA",
        private_key=Ed25519PrivateKey.generate(), key_id="made-up",
    )  # fmt: skip

    assert await refused(checking, forged) == "no signing key for this token"
    assert issuer.fetches == 1


async def test_made_up_key_ids_cost_the_issuer_one_fetch_per_interval() -> None:
    issuer = Issuer()
    issuer.rotate("k1")
    checking = verifier(issuer, min_interval=0.2)
    started = time.monotonic()
    for n in range(4):
        forged = mint_token(
            "u1", issuer=ISSUER, audience=AUDIENCE, algorithm="EdDSA",
            private_key=Ed25519PrivateKey.generate(), key_id=f"made-up-{n}",
        )  # fmt: skip
        await refused(checking, forged)

    intervals = (time.monotonic() - started) / 0.2
    assert issuer.fetches <= 1 + intervals  # never more than one fetch per interval


async def test_a_withdrawn_key_stops_working_once_the_copy_is_old() -> None:
    issuer = Issuer()
    issuer.rotate("k1")
    checking = verifier(issuer, max_age=0.0)
    token = issuer.token("k1")
    assert (await checking.verify_fetching(token)).user_id == "u1"

    del issuer.keys["k1"]

    assert await refused(checking, token) == "no signing key for this token"


async def test_held_keys_keep_working_while_the_issuer_is_down() -> None:
    issuer = Issuer()
    issuer.rotate("k1")
    checking = verifier(issuer, max_age=0.0)
    await checking.verify_fetching(issuer.token("k1"))

    issuer.down = True

    assert (await checking.verify_fetching(issuer.token("k1", "u5"))).user_id == "u5"


async def test_an_issuer_that_is_down_does_not_queue_the_requests_of_held_keys() -> None:
    issuer = Issuer()
    issuer.rotate("k1")
    checking = verifier(issuer, max_age=0.0, min_interval=0.5)
    await checking.verify_fetching(issuer.token("k1"))
    issuer.down = True
    tokens = [issuer.token("k1", f"u{n}") for n in range(20)]  # each new: no accepted-token cache

    verified = await asyncio.gather(*(checking.verify_fetching(token) for token in tokens))

    assert [p.user_id for p in verified] == [f"u{n}" for n in range(20)]
    assert issuer.fetches <= 2  # the first fetch, and at most one retry: not one per request


async def test_a_key_is_used_only_with_its_own_algorithm() -> None:
    """Algorithm confusion: an HS256 token keyed with the public key that a `kid` names."""
    issuer = Issuer()
    issuer.rotate("k1")
    checking = verifier(issuer)
    await checking.verify_fetching(issuer.token("k1"))
    header = b64(json.dumps({"alg": "HS256", "kid": "k1"}).encode())
    claims = {"sub": "u1", "iss": ISSUER, "aud": AUDIENCE, "iat": 0, "exp": 2**31}
    signing_input = f"{header}.{b64(json.dumps(claims).encode())}"
    public = issuer.keys["k1"].public_key().public_bytes_raw()
    mac = hmac.new(public, signing_input.encode(), hashlib.sha256).digest()

    assert await refused(checking, f"{signing_input}.{b64(mac)}") == "algorithm not allowed"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
