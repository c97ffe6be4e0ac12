"""A new phone number or email is the user's only once a code sent to it is confirmed."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from contacts_events import topics
from contacts_testing.codes import wait_for_code
from contacts_testing.kafka_reader import read_topic

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def service(start_directory, messages) -> httpx.Client:
    started = start_directory(DEV_MESSAGES_DIR=str(messages), CODES_PER_ADDRESS_BURST="1000")
    with httpx.Client(base_url=started.url, timeout=10) as client:
        yield client


def account(service: httpx.Client, messages: Path, phone: str) -> dict[str, str]:
    service.post("/v1/auth/codes", json={"phone": phone})
    answer = service.post(
        "/v1/auth/sign-in",
        json={"phone": phone, "code": wait_for_code(messages, phone), "display_name": "Owner"},
    )
    assert answer.status_code == 201, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


@pytest.mark.parametrize("field", ["phone", "email"])
def test_a_profile_change_cannot_take_a_phone_or_email_without_proof(
    service, messages, new_phone, field
):
    me = account(service, messages, new_phone())
    value = new_phone() if field == "phone" else "someone@example.com"

    answer = service.patch("/v1/users/me", json={field: value}, headers=me)

    assert answer.status_code == 422
    assert (answer.json()["error"], answer.json()["field"]) == ("verification_required", field)
    assert service.get("/v1/users/me", headers=me).json()[field] != value


async def test_a_new_number_is_taken_when_its_code_is_confirmed(
    service, messages, new_phone, kafka_bootstrap
):
    me = account(service, messages, new_phone())
    new = new_phone()

    started = service.post("/v1/users/me/verifications", json={"phone": new}, headers=me)
    assert started.status_code == 202
    assert service.get("/v1/users/me", headers=me).json()["phone"] != new
    code = wait_for_code(messages, new, "verification_code")
    confirmed = service.post(
        "/v1/users/me/verifications/confirm", json={"phone": new, "code": code}, headers=me
    )

    assert confirmed.status_code == 200
    assert confirmed.json()["phone"] == new
    user_id = confirmed.json()["user_id"]
    records = await read_topic(kafka_bootstrap, topics.DIRECTORY_USERS, expect=10_000, seconds=8)
    changes = [dict(r.headers)["ce_type"] for r in records if r.key == user_id.encode()]
    assert b"io.connect.contacts.UserProfileChanged.v1" in changes


def test_a_new_email_is_taken_when_its_code_is_confirmed(service, messages, new_phone):
    me = account(service, messages, new_phone())
    email = f"owner-{new_phone()[-6:]}@Example.ORG"

    assert (
        service.post("/v1/users/me/verifications", json={"email": email}, headers=me).status_code
        == 202
    )
    normalised = email.rsplit("@", 1)[0] + "@example.org"
    code = wait_for_code(messages, normalised, "verification_code")
    confirmed = service.post(
        "/v1/users/me/verifications/confirm", json={"email": email, "code": code}, headers=me
    )

    assert confirmed.status_code == 200
    assert confirmed.json()["email"] == normalised


def test_someone_elses_number_is_refused_only_after_the_proof(service, messages, new_phone):
    taken = new_phone()
    account(service, messages, taken)
    me = account(service, messages, new_phone())

    started = service.post("/v1/users/me/verifications", json={"phone": taken}, headers=me)
    assert started.status_code == 202  # the same answer as for a free number
    code = wait_for_code(messages, taken, "verification_code")
    confirmed = service.post(
        "/v1/users/me/verifications/confirm", json={"phone": taken, "code": code}, headers=me
    )

    assert confirmed.status_code == 409
    assert confirmed.json()["error"] == "phone_taken"


def test_a_code_proves_only_the_destination_and_user_it_was_sent_for(service, messages, new_phone):
    me = account(service, messages, new_phone())
    other = account(service, messages, new_phone())
    new = new_phone()
    service.post("/v1/users/me/verifications", json={"phone": new}, headers=me)
    code = wait_for_code(messages, new, "verification_code")

    by_other = service.post(
        "/v1/users/me/verifications/confirm", json={"phone": new, "code": code}, headers=other
    )
    wrong = service.post(
        "/v1/users/me/verifications/confirm",
        json={"phone": new, "code": f"{(int(code) + 1) % 1_000_000:06d}"},
        headers=me,
    )

    assert (by_other.status_code, by_other.json()["error"]) == (422, "code_invalid")
    assert (wrong.status_code, wrong.json()["error"]) == (422, "code_invalid")


def test_exactly_one_destination(service, messages, new_phone):
    me = account(service, messages, new_phone())

    both = service.post(
        "/v1/users/me/verifications", json={"phone": new_phone(), "email": "a@b.co"}, headers=me
    )

    assert both.status_code == 422
    assert both.json()["error"] == "one_destination"
