"""The seed's "Add contact with ConnectID" (web and mobile), "Archive/Unarchive a contact" and
"You cannot archive contacts managed by your company", with each change's event on Kafka."""

from __future__ import annotations

import pytest
from contacts_testing.auth import bearer
from contacts_testing.platform_client import STAFF, correlation, eventually

pytestmark = pytest.mark.e2e


async def test_search_a_connect_id_see_the_profile_and_add_it(client, audit):
    ana = await client.register("Ana", "+447400720001")
    ben = await client.register("Ben", "+447400720002", email="ben@example.com")
    typed = ben.connect_id.lower().replace("-", " ")  # pasted from a chat, in lower case
    found = await client.directory.get(f"/v1/connect-ids/{typed}", headers=ana.auth)
    assert found.status_code == 200
    assert found.json()["display_name"] == "Ben"
    assert "phone" not in found.json() and "email" not in found.json()
    symbols = ben.connect_id.replace("-", "")
    swapped = symbols[1] + symbols[0] + symbols[2:]
    if swapped != symbols:  # a swap of neighbours is caught before any look-up
        assert (await client.directory.get(f"/v1/connect-ids/{swapped}", headers=ana.auth)).status_code == 422  # fmt: skip

    adding = correlation()

    async def add():
        return await client.add_contact(ana, typed, adding)

    added = await eventually(add, lambda r: r.status_code != 404)  # Ben reaches the projection
    assert added.status_code == 201, added.text
    [event] = await audit.wait_for(
        "ContactAdded", key=ana.user_id, correlation_id=adding["X-Correlation-ID"]
    )
    assert str(event.data.contact_user_id) == ben.user_id
    assert event.data.source == "connect_id"
    assert event.actor == ana.user_id
    await client.until_contacts(ana, ["Ben"])
    again = await add()
    assert again.status_code == 409 and again.json()["error"] == "already_contact"
    me = await client.add_contact(ana, ana.connect_id)
    assert me.status_code == 409 and me.json()["error"] == "self"
    assert len(audit.matching("ContactAdded", key=ana.user_id)) == 1  # refusals emit nothing


async def test_archive_unarchive_in_order_and_a_managed_contact_is_refused(client, audit):
    staff = bearer(STAFF, "service")
    company = (await client.directory.post("/v1/companies", json={"name": "Acme"}, headers=staff)).json()  # fmt: skip
    cara = await client.register("Cara", "+447400730001", company_id=company["company_id"])
    dan = await client.register("Dan", "+447400730002", company_id=company["company_id"])
    eve = await client.register("Eve", "+447400730003")
    point = await client.directory.post(
        f"/v1/companies/{company['company_id']}/contact-points",
        json={"display_name": "Acme Reception"}, headers=staff,
    )  # fmt: skip
    assert point.status_code == 201, point.text

    async def add_eve():
        return await client.add_contact(cara, eve.connect_id)

    assert (await eventually(add_eve, lambda r: r.status_code != 404)).status_code == 201
    await client.until_contacts(cara, ["Acme Reception", "Dan", "Eve"])

    archiving, unarchiving = correlation(), correlation()
    archived = await client.contacts.post(f"/v1/contacts/{eve.user_id}/archive", headers={**cara.auth, **archiving})  # fmt: skip
    assert archived.status_code == 200 and archived.json()["archived"] is True
    assert await client.contact_names(cara, "archived") == ["Eve"]
    assert await client.contact_names(cara) == ["Acme Reception", "Dan"]
    back = await client.contacts.post(f"/v1/contacts/{eve.user_id}/unarchive", headers={**cara.auth, **unarchiving})  # fmt: skip
    assert back.status_code == 200 and back.json()["archived"] is False
    assert await client.contact_names(cara) == ["Acme Reception", "Dan", "Eve"]

    for target in (dan.user_id, point.json()["contact_point_id"]):
        refused = await client.contacts.post(f"/v1/contacts/{target}/archive", headers=cara.auth)
        assert refused.status_code == 409, refused.text
        assert refused.json()["error"] == "managed_by_company"
        assert "managed by your company" in refused.json()["detail"]

    events = await audit.wait_for(key=cara.user_id, where=lambda e: e.source == "/services/contacts", count=3)  # fmt: skip
    assert [e.name for e in events] == ["ContactAdded", "ContactArchived", "ContactUnarchived"]
    assert events[1].correlationid == archiving["X-Correlation-ID"]
    assert events[2].correlationid == unarchiving["X-Correlation-ID"]
    assert {str(e.data.contact_user_id) for e in events} == {eve.user_id}
    await audit.wait_for("CompanyMemberJoined", key=company["company_id"], count=2)
    await audit.wait_for("ContactPointCreated", key=company["company_id"])
