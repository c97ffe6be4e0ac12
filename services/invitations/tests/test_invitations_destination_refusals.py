"""`POST /v1/invitations` refuses what cannot receive an invitation with the shared rule's
reason: toll-free, personal, pager and satellite numbers, and texts that are not one email
address (the real service)."""

from __future__ import annotations

import uuid

import pytest

from .conftest import bearer

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    ("phone", "code"),
    [
        ("+41 800 123 456", "toll_free"),
        ("+44 800 123 4567", "toll_free"),
        ("+44 70 1234 5678", "personal_number"),
        ("+44 7640 123456", "pager"),
        ("+881 6 1234 5678", "non_geographic"),
        ("+870 301 234 567", "non_geographic"),
        ("+33 9 12 34 56 78", "voip"),
    ],
)
async def test_numbers_that_cannot_take_an_sms_are_refused_with_the_reason(
    invitations, phone, code
):
    answer = await invitations.http.post(
        "/v1/invitations", json={"phone": phone}, headers=bearer(uuid.uuid4())
    )
    assert answer.status_code == 422, answer.text
    assert (answer.json()["error"], answer.json()["field"]) == (code, "phone")
    assert "SMS" in answer.json()["detail"]


@pytest.mark.parametrize(
    ("email", "said"),
    [
        ("not-an-email", "@-sign"),
        ("zoe@example.org\r\nBcc: everyone@example.org", "line breaks"),
        ("zoe@example.org\n", "line breaks"),
        ("Zoe <zoe@example.org>", "display name"),
    ],
)
async def test_texts_that_are_not_one_address_are_refused_on_email(invitations, email, said):
    me = bearer(uuid.uuid4())
    answer = await invitations.http.post(
        "/v1/invitations", json={"channel": "email", "email": email}, headers=me
    )
    assert answer.status_code == 422, answer.text
    assert (answer.json()["error"], answer.json()["field"]) == ("email_invalid", "email")
    assert said in answer.json()["detail"]
    pending = (await invitations.http.get("/v1/invitations", headers=me)).json()["items"]
    assert pending == []


async def test_an_address_is_kept_normalised(invitations):
    answer = await invitations.http.post(
        "/v1/invitations", json={"channel": "email", "email": " Zoe@Example.ORG "},
        headers=bearer(uuid.uuid4()),
    )  # fmt: skip
    assert answer.status_code == 201, answer.text
    assert answer.json()["destination"] == "Zoe@example.org"
