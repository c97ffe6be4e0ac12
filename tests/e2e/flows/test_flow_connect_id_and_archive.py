"""The seed's "Add contact with ConnectID" (web and mobile), "Archive/Unarchive a contact" and
"You cannot archive contacts managed by your company", with each change's event on Kafka."""

from __future__ import annotations

import pytest
from contacts_client import ApiError, Contact, NotFound
from contacts_testing.platform_client import STAFF, correlation, eventually, outcome

pytestmark = pytest.mark.e2e


async def until_added(app, connect_id):
    """Add once the contacts service has the profile (its projection of the directory's
    events answers 404 until then)."""
    added = await eventually(
        lambda: outcome(app.contacts.add_contact(connect_id)),
        lambda answer: not isinstance(answer, NotFound),
    )
    assert isinstance(added, Contact), added
    return added


async def test_search_a_connect_id_see_the_profile_and_add_it(client, audit):
    ana = await client.register("Ana", "+447400720001")
    ben = await client.register("Ben", "+447400720002", email="ben@example.com")
    typed = ben.connect_id.lower().replace("-", " ")  # pasted from a chat, in lower case
    found = await client.as_user(ana).directory.look_up_connect_id(typed)
    assert found.display_name == "Ben"
    profile = found.model_dump()  # with any field the service added (the models keep them)
    assert "phone" not in profile and "email" not in profile
    symbols = ben.connect_id.replace("-", "")
    swapped = symbols[1] + symbols[0] + symbols[2:]
    if swapped != symbols:  # a swap of neighbours is caught before any look-up
        with pytest.raises(ApiError) as refused:
            await client.as_user(ana).directory.look_up_connect_id(swapped)
        assert (refused.value.status, refused.value.field) == (422, "connect_id")

    adding = correlation()
    ana_adding = client.as_user(ana, headers=adding)
    added = await until_added(ana_adding, typed)  # once Ben reaches the projection
    assert str(added.contact_id) == ben.user_id
    [event] = await audit.wait_for(
        "ContactAdded", key=ana.user_id, correlation_id=adding["X-Correlation-ID"]
    )
    assert str(event.data.contact_user_id) == ben.user_id
    assert event.data.source == "connect_id"
    assert event.actor == ana.user_id
    await client.until_contacts(ana, ["Ben"])
    with pytest.raises(ApiError) as again:
        await ana_adding.contacts.add_contact(typed)
    assert (again.value.status, again.value.error) == (409, "already_contact")
    with pytest.raises(ApiError) as me:
        await client.as_user(ana).contacts.add_contact(ana.connect_id)
    assert (me.value.status, me.value.error) == (409, "self")
    assert len(audit.matching("ContactAdded", key=ana.user_id)) == 1  # refusals emit nothing


async def test_archive_unarchive_in_order_and_a_managed_contact_is_refused(client, audit):
    staff = client.as_user(STAFF, "service")
    company = await staff.directory.create_company("Acme")
    cara = await client.register("Cara", "+447400730001", company_id=company.company_id)
    dan = await client.register("Dan", "+447400730002", company_id=company.company_id)
    eve = await client.register("Eve", "+447400730003")
    point = await staff.directory.create_contact_point(company.company_id, "Acme Reception")

    await until_added(client.as_user(cara), eve.connect_id)
    await client.until_contacts(cara, ["Acme Reception", "Dan", "Eve"])

    archiving, unarchiving = correlation(), correlation()
    archived = await client.as_user(cara, headers=archiving).contacts.archive_contact(eve.user_id)
    assert archived.archived is True
    assert await client.contact_names(cara, "archived") == ["Eve"]
    assert await client.contact_names(cara) == ["Acme Reception", "Dan"]
    back = await client.as_user(cara, headers=unarchiving).contacts.unarchive_contact(eve.user_id)
    assert back.archived is False
    assert await client.contact_names(cara) == ["Acme Reception", "Dan", "Eve"]

    for managed in (dan.user_id, point.contact_point_id):
        with pytest.raises(ApiError) as refused:
            await client.as_user(cara).contacts.archive_contact(managed)
        assert (refused.value.status, refused.value.error) == (409, "managed_by_company")
        assert "managed by your company" in refused.value.detail

    events = await audit.wait_for(key=cara.user_id, where=lambda e: e.source == "/services/contacts", count=3)  # fmt: skip
    assert [e.name for e in events] == ["ContactAdded", "ContactArchived", "ContactUnarchived"]
    assert events[1].correlationid == archiving["X-Correlation-ID"]
    assert events[2].correlationid == unarchiving["X-Correlation-ID"]
    assert {str(e.data.contact_user_id) for e in events} == {eve.user_id}
    await audit.wait_for("CompanyMemberJoined", key=company.company_id, count=2)
    await audit.wait_for("ContactPointCreated", key=company.company_id)
