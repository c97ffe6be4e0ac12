"""Adding a contact answers `Location`, and with an `Idempotency-Key` a retry gets the first
answer while nothing is added or announced twice; the key with another body is refused."""

from __future__ import annotations

import uuid

import pytest
from contacts_testing.auth import add_body

from .conftest import ContactsUnderTest, bearer

pytestmark = pytest.mark.integration
EVENTS_NAMING = "SELECT count(*) FROM outbox WHERE strpos(convert_from(value, 'UTF8'), $1) > 0"


async def test_an_added_contact_is_at_its_location(contacts: ContactsUnderTest) -> None:
    ada, lin = await contacts.register("Ada"), await contacts.register("Lin")
    me = bearer(ada.user_id)
    added = await contacts.http.post(
        "/v1/contacts", json=add_body(ada.user_id, lin.connect_id), headers=me
    )
    assert added.status_code == 201, added.text
    assert added.headers["Location"] == f"/v1/contacts/{lin.user_id}"
    found = await contacts.http.get(added.headers["Location"], headers=me)
    assert found.json() == added.json()


async def test_a_retry_with_the_key_replays_the_first_answer_and_adds_once(
    contacts: ContactsUnderTest,
) -> None:
    ada, lin, bo = [await contacts.register(name) for name in ("Ada", "Lin", "Bo")]
    headers = {**bearer(ada.user_id), "Idempotency-Key": str(uuid.uuid4())}
    body = add_body(ada.user_id, lin.connect_id)
    first = await contacts.http.post("/v1/contacts", json=body, headers=headers)
    again = await contacts.http.post("/v1/contacts", json=body, headers=headers)

    assert first.status_code == 201, first.text
    assert (again.status_code, again.json()) == (201, first.json())
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Location"] == first.headers["Location"]
    assert (await contacts.list(ada.user_id))["total"] == 1
    assert await contacts.pool.fetchval(EVENTS_NAMING, str(ada.user_id)) == 1

    other = await contacts.http.post(
        "/v1/contacts", json=add_body(ada.user_id, bo.connect_id), headers=headers
    )
    assert other.status_code == 422
    assert (other.json()["error"], other.json()["field"]) == (
        "idempotency_key_reused",
        "Idempotency-Key",
    )
    assert (await contacts.list(ada.user_id))["total"] == 1
