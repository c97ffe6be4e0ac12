"""The keys that sign access tokens: rotation, publication, backends' service tokens."""

from __future__ import annotations

import base64
import secrets
from pathlib import Path

import httpx
import jwt
import pytest
from contacts_testing.auth import bearer
from contacts_testing.codes import wait_for_code

pytestmark = pytest.mark.integration

BACKEND_SECRET = secrets.token_urlsafe(32)


@pytest.fixture(scope="module")
def keys_service(start_directory, messages) -> httpx.Client:
    service = start_directory(
        DEV_MESSAGES_DIR=str(messages), SERVICE_CLIENTS=f"crm-backend:{BACKEND_SECRET}"
    )
    with httpx.Client(base_url=service.url, timeout=10) as client:
        yield client


def signed_in(client: httpx.Client, messages: Path, phone: str) -> str:
    client.post("/v1/auth/codes", json={"phone": phone})
    code = wait_for_code(messages, phone)
    answer = client.post(
        "/v1/auth/sign-in", json={"phone": phone, "code": code, "display_name": "Key Holder"}
    )
    assert answer.status_code in (200, 201), answer.text
    token: str = answer.json()["access_token"]
    return token


def kid(token: str) -> str:
    value: str = jwt.get_unverified_header(token)["kid"]
    return value


def test_rotation_signs_with_a_new_key_and_keeps_the_old_one_published(
    keys_service, messages, new_phone
):
    before = signed_in(keys_service, messages, new_phone())

    rotated = keys_service.post("/v1/auth/signing-keys", headers=bearer("operator", "admin"))

    assert rotated.status_code == 201
    after = signed_in(keys_service, messages, new_phone())
    assert kid(after) == rotated.json()["kid"] != kid(before)
    published = {key["kid"] for key in keys_service.get("/.well-known/jwks.json").json()["keys"]}
    assert {kid(before), kid(after)} <= published
    for token in (before, after):  # both still accepted, no restart
        me = keys_service.get("/v1/users/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200


@pytest.mark.parametrize("roles", [(), ("service",)])
def test_only_platform_admins_rotate_keys(keys_service, roles):
    answer = keys_service.post("/v1/auth/signing-keys", headers=bearer("someone", *roles))

    assert answer.status_code == 403
    assert answer.json()["error"] == "admin_only"


def basic(client_id: str, secret: str) -> dict[str, str]:
    pair = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {pair}"}


def test_a_backend_gets_a_service_token_and_registers_a_user(keys_service, new_phone):
    answer = keys_service.post(
        "/v1/auth/service-token", headers=basic("crm-backend", BACKEND_SECRET)
    )

    assert answer.status_code == 200
    token = answer.json()["access_token"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert (claims["sub"], claims["roles"]) == ("service:crm-backend", ["service"])
    registered = keys_service.post(
        "/v1/users",
        json={"display_name": "Verified Elsewhere", "phone": new_phone()},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert registered.status_code == 201


@pytest.mark.parametrize(
    "headers", [basic("crm-backend", "wrong-secret"), basic("nobody", BACKEND_SECRET), {}]
)
def test_unknown_backends_get_no_token(keys_service, headers):
    answer = keys_service.post("/v1/auth/service-token", headers=headers)

    assert answer.status_code == 401
    assert answer.json()["error"] == "invalid_client"
