"""Add contact with ConnectID (web and mobile), lists, detail: real service, Kafka, Postgres."""

from __future__ import annotations

import uuid

import pytest
from contacts_events import ContactSource, ImportRowMatched, ImportSource, topics
from contacts_events.connect_id import display
from contacts_events.kafka_binding import from_record
from contacts_events.topics import namespaced
from contacts_testing.auth import add_body, add_token
from contacts_testing.kafka_reader import read_topic

from .conftest import bearer

pytestmark = pytest.mark.integration


async def test_a_user_adds_another_by_connect_id_and_sees_them_in_active_contacts(
    contacts, kafka_bootstrap
):
    ada, lin = await contacts.register("Ada"), await contacts.register("Lin Chen")
    typed = display(lin.connect_id).lower().replace("-", " ")
    body = {"connect_id": typed, "add_token": add_token(ada.user_id, lin.connect_id)}
    added = await contacts.http.post("/v1/contacts", json=body, headers=bearer(ada.user_id))
    assert added.status_code == 201, added.text
    assert added.json()["display_name"] == "Lin Chen"
    assert added.json()["added_via"] == "connect_id"
    assert added.json()["managed"] is False

    active = await contacts.list(ada.user_id)
    assert [c["display_name"] for c in active["items"]] == ["Lin Chen"]
    assert active["total"] == 1
    detail = await contacts.http.get(f"/v1/contacts/{lin.user_id}", headers=bearer(ada.user_id))
    assert detail.json()["connect_id"] == display(lin.connect_id)

    records = await read_topic(
        kafka_bootstrap, namespaced(topics.CONTACTS, contacts.namespace), expect=1
    )
    event = from_record(records[0].key, records[0].value, records[0].headers)
    assert (event.data.owner_id, event.data.contact_user_id) == (ada.user_id, lin.user_id)
    assert event.data.source is ContactSource.CONNECT_ID


async def test_adding_refusals_are_clear(contacts):
    ada, lin = await contacts.register("Ada"), await contacts.register("Lin")
    me = bearer(ada.user_id)
    assert (
        await contacts.http.post(
            "/v1/contacts", json=add_body(ada.user_id, lin.connect_id), headers=me
        )
    ).status_code == 201

    again = await contacts.http.post(
        "/v1/contacts", json=add_body(ada.user_id, lin.connect_id), headers=me
    )
    assert (again.status_code, again.json()["error"]) == (409, "already_contact")
    myself = await contacts.http.post(
        "/v1/contacts", json=add_body(ada.user_id, ada.connect_id), headers=me
    )
    assert (myself.status_code, myself.json()["error"]) == (409, "self")
    typo = lin.connect_id[:-1] + ("2" if lin.connect_id[-1] != "2" else "3")
    mistyped = await contacts.http.post("/v1/contacts", json={"connect_id": typo}, headers=me)
    assert (mistyped.status_code, mistyped.json()["field"]) == (422, "connect_id")
    from contacts_events.connect_id import generate

    nobody = generate()
    unknown = await contacts.http.post(
        "/v1/contacts", json=add_body(ada.user_id, nobody), headers=me
    )
    assert (unknown.status_code, unknown.json()["error"]) == (404, "connect_id_not_found")
    assert (await contacts.list(ada.user_id))["total"] == 1


async def test_another_users_contact_is_404_and_no_token_is_401(contacts):
    ada, lin, eve = [await contacts.register(n) for n in ("Ada", "Lin", "Eve")]
    await contacts.http.post(
        "/v1/contacts", json={"connect_id": lin.connect_id}, headers=bearer(ada.user_id)
    )
    assert (
        await contacts.http.get(f"/v1/contacts/{lin.user_id}", headers=bearer(eve.user_id))
    ).status_code == 404
    assert (
        await contacts.http.post(f"/v1/contacts/{lin.user_id}/archive", headers=bearer(eve.user_id))
    ).status_code == 404
    assert (await contacts.http.get("/v1/contacts")).status_code == 401


async def test_lists_page_by_name_with_totals_and_prefix_search(contacts):
    owner = await contacts.register("Owner")
    names = [f"{first} {i:03d}" for i, first in enumerate(["Alice", "Bob", "Ålvar", "carol"] * 30)]
    people = [await contacts.register(name) for name in names]
    rows = [
        ImportRowMatched(
            import_id=uuid.uuid4(), owner_id=owner.user_id, source=ImportSource.PASTED,
            row_number=i + 1, matched_user_id=p.user_id,
        )
        for i, p in enumerate(people)
    ]  # fmt: skip
    await contacts.events.publish(*rows)
    await contacts.until(lambda: contacts.list(owner.user_id, limit=1))
    await contacts.until(async_total_is(contacts, owner.user_id, 120))

    seen, cursor, pages = [], None, 0
    while True:
        page = await contacts.list(
            owner.user_id, limit=50, **({"cursor": cursor} if cursor else {})
        )
        assert page["total"] == 120
        seen += [c["display_name"] for c in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert len(seen) == len(set(seen)) == 120
    assert seen[0].startswith("Alice")
    assert seen[30].startswith("Ålvar")
    assert seen[60].startswith("Bob")

    search = await contacts.list(owner.user_id, q="al", limit=10)  # Alice and Ålvar, accent-folded
    assert search["total"] == 60
    assert all(c["display_name"][:2].lower() in ("al", "ål") for c in search["items"])
    bad = await contacts.http.get(
        "/v1/contacts", params={"cursor": "nonsense"}, headers=bearer(owner.user_id)
    )
    assert (bad.status_code, bad.json()["field"]) == (422, "cursor")


def async_total_is(contacts, owner, expected):
    async def check():
        return (await contacts.list(owner))["total"] == expected

    return check


async def test_adding_needs_the_grant_of_a_look_up_whatever_the_connect_id(contacts):
    """No oracle: without a grant every ConnectID, known or not, gets the same answer."""
    from contacts_events.connect_id import generate

    ada, lin = await contacts.register("Ada"), await contacts.register("Lin")
    me = bearer(ada.user_id)
    answers = [
        await contacts.http.post("/v1/contacts", json={"connect_id": cid}, headers=me)
        for cid in (lin.connect_id, generate())
    ]
    for answer in answers:
        assert answer.status_code == 422
        assert (answer.json()["error"], answer.json()["field"]) == ("lookup_required", "add_token")
    assert answers[0].json() == answers[1].json()

    cases = {
        "another ConnectID": add_token(ada.user_id, generate()),
        "another caller": add_token(uuid.uuid4(), lin.connect_id),
        "an access token": bearer(ada.user_id)["Authorization"].removeprefix("Bearer "),
        "garbage": "not.a.token",
    }
    for case, token in cases.items():
        body = {"connect_id": lin.connect_id, "add_token": token}
        refused = await contacts.http.post("/v1/contacts", json=body, headers=me)
        assert (refused.status_code, refused.json()["error"]) == (422, "add_token_invalid"), case
    assert (await contacts.list(ada.user_id))["total"] == 0
