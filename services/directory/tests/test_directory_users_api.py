"""Users through the directory's HTTP API, against real Postgres and Kafka."""

from __future__ import annotations

import uuid

import pytest
from contacts_events import topics
from contacts_testing.kafka_reader import read_topic

from .conftest import STAFF, bearer

pytestmark = pytest.mark.integration


def register(directory, phone, **extra):
    body = {"display_name": "Ada Lovelace", "phone": phone, **extra}
    return directory.post("/v1/users", json=body, headers=STAFF)


async def test_registration_retried_with_one_idempotency_key_registers_and_announces_once(
    directory, new_phone, kafka_bootstrap
):
    body = {"display_name": "Grace Hopper", "phone": new_phone(), "email": "grace@Example.COM"}
    correlation = f"signup-{uuid.uuid4()}"
    headers = {**STAFF, "Idempotency-Key": str(uuid.uuid4()), "X-Correlation-ID": correlation}
    first = directory.post("/v1/users", json=body, headers=headers)
    again = directory.post("/v1/users", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    user = first.json()
    assert user["email"] == "grace@example.com"
    assert len(user["connect_id"]) == 11
    assert user["connect_id"][3] == "-"

    records = await read_topic(kafka_bootstrap, topics.DIRECTORY_USERS, expect=10_000, seconds=8)
    mine = [r for r in records if r.key == user["user_id"].encode()]
    assert len(mine) == 1
    headers = dict(mine[0].headers)
    assert headers["ce_type"] == b"io.connect.contacts.UserRegistered.v1"
    assert headers["ce_source"] == b"/services/directory"
    assert headers["ce_actor"] == b"registration-backend"
    assert headers["ce_correlationid"] == correlation.encode()  # carried from HTTP to the event


def test_the_same_key_with_another_body_is_refused(directory, new_phone):
    headers = {**STAFF, "Idempotency-Key": str(uuid.uuid4())}
    assert (
        directory.post(
            "/v1/users", json={"display_name": "A", "phone": new_phone()}, headers=headers
        ).status_code
        == 201
    )
    reused = directory.post(
        "/v1/users", json={"display_name": "B", "phone": new_phone()}, headers=headers
    )
    assert reused.status_code == 422
    assert reused.json()["field"] == "Idempotency-Key"


def test_a_phone_or_email_of_an_active_user_is_a_conflict(directory, new_phone):
    phone = new_phone()
    email = f"{uuid.uuid4().hex[:8]}@example.com"
    assert register(directory, phone, email=email).status_code == 201
    taken = register(directory, phone)
    assert taken.status_code == 409
    assert {k: taken.json()[k] for k in ("error", "field", "detail")} == {"error": "phone_taken",
            "field": "phone", "detail": "This phone already belongs to another user."}  # fmt: skip
    assert register(directory, new_phone(), email=email.upper()).json()["field"] == "email"


@pytest.mark.parametrize(
    ("phone", "code"),
    [("07400123456", "phone_not_e164"), ("+44 20 7123 4567", "phone_not_mobile"),
     ("+4474", "phone_invalid"), ("+abc", "phone_unparseable")],
)  # fmt: skip
def test_a_bad_phone_number_is_refused_naming_the_field_and_reason(directory, phone, code):
    refused = register(directory, phone)
    assert refused.status_code == 422
    assert refused.json()["error"] == code
    assert refused.json()["field"] == "phone"


def test_a_malformed_body_names_the_field(directory):
    refused = directory.post("/v1/users", json={"phone": "+447400123456"}, headers=STAFF)
    assert refused.status_code == 422
    assert refused.json()["field"] == "display_name"


def test_registration_needs_platform_credentials(directory, new_phone):
    assert directory.post("/v1/users", json={}, headers={}).status_code == 401
    forbidden = directory.post(
        "/v1/users",
        json={"display_name": "X", "phone": new_phone()},
        headers=bearer(str(uuid.uuid4())),
    )
    assert forbidden.status_code == 403


def test_me_shows_the_full_profile_and_changes_it(directory, new_phone):
    user = register(directory, new_phone()).json()
    me = bearer(user["user_id"])
    assert directory.get("/v1/users/me", headers=me).json() == user
    changed = directory.patch("/v1/users/me", json={"display_name": "  Ada   King "}, headers=me)
    assert changed.json()["display_name"] == "Ada King"
    assert directory.get("/v1/users/me", headers=bearer(str(uuid.uuid4()))).status_code == 404


def test_closing_an_account_refuses_its_token_and_frees_its_phone(directory, new_phone):
    phone = new_phone()
    user = register(directory, phone).json()
    assert directory.delete("/v1/users/me", headers=bearer(user["user_id"])).status_code == 204
    refused = directory.get("/v1/users/me", headers=bearer(user["user_id"]))
    assert (refused.status_code, refused.json()["error"]) == (401, "account_closed")
    assert register(directory, phone).status_code == 201
