"""Contacts created by other services' events, and every consumed event type redelivered."""

from __future__ import annotations

import uuid

import pytest
from contacts_events import (
    AcceptanceMatch,
    CompanyCreated,
    CompanyMemberJoined,
    CompanyMemberLeft,
    CompanyRole,
    ContactPointCreated,
    ContactPointRemoved,
    DeactivationReason,
    ImportRowMatched,
    ImportSource,
    InvitationAccepted,
    InvitationChannel,
    ProfileField,
    UserDeactivated,
    UserProfileChanged,
    topics,
)
from contacts_events.connect_id import generate
from contacts_events.kafka_binding import from_record
from contacts_events.topics import namespaced
from contacts_testing.kafka_reader import read_topic

pytestmark = pytest.mark.integration

TWICE = 2


def matched_row(owner, user, source=ImportSource.FILE):
    return ImportRowMatched(
        import_id=uuid.uuid4(), owner_id=owner.user_id, source=source, row_number=1,
        matched_user_id=user.user_id,
    )  # fmt: skip


async def contact_events(kafka_bootstrap, contacts, owner):
    records = await read_topic(
        kafka_bootstrap, namespaced(topics.CONTACTS, contacts.namespace), expect=10_000, seconds=4
    )
    return [
        from_record(r.key, r.value, r.headers)
        for r in records
        if r.key == str(owner.user_id).encode()
    ]


async def test_a_matched_import_row_delivered_twice_adds_one_contact_and_one_event(
    contacts, kafka_bootstrap
):
    owner, found = await contacts.register("Owner"), await contacts.register("Found")
    await contacts.events.publish(matched_row(owner, found), times=TWICE)

    async def added():
        return (await contacts.list(owner.user_id))["total"] == 1

    await contacts.until(added)
    page = await contacts.list(owner.user_id)
    assert [(c["display_name"], c["added_via"]) for c in page["items"]] == [
        ("Found", "list_import")
    ]
    events = await contact_events(kafka_bootstrap, contacts, owner)
    assert [e.name for e in events] == ["ContactAdded"]


async def test_an_accepted_invitation_delivered_twice_makes_both_contacts_once(
    contacts, kafka_bootstrap
):
    inviter, invitee = await contacts.register("Inviter"), await contacts.register("Invitee")
    accepted = InvitationAccepted(
        invitation_id=uuid.uuid4(), inviter_id=inviter.user_id, invitee_user_id=invitee.user_id,
        channel=InvitationChannel.SMS, matched_by=AcceptanceMatch.PHONE,
    )  # fmt: skip
    await contacts.events.publish(accepted, times=TWICE)

    async def both_ways():
        a, b = await contacts.list(inviter.user_id), await contacts.list(invitee.user_id)
        return a["total"] == 1 and b["total"] == 1

    await contacts.until(both_ways)
    assert (await contacts.list(inviter.user_id))["items"][0]["added_via"] == "invitation"
    for side in (inviter, invitee):
        assert [e.name for e in await contact_events(kafka_bootstrap, contacts, side)] == [
            "ContactAdded"
        ]


async def test_directory_events_redelivered_change_the_projection_once(contacts):
    owner, bo = await contacts.register("Owner"), await contacts.register("Bo")
    company, point = uuid.uuid4(), uuid.uuid4()
    events = [
        CompanyCreated(company_id=company, company_name="Initech"),
        CompanyMemberJoined(company_id=company, user_id=owner.user_id, role=CompanyRole.ADMIN),
        CompanyMemberJoined(company_id=company, user_id=bo.user_id, role=CompanyRole.MEMBER),
        ContactPointCreated(company_id=company, contact_point_id=point, connect_id=generate(), display_name="Desk"),
        UserProfileChanged(user_id=bo.user_id, connect_id=bo.connect_id, display_name="Bo Renamed",
                           phone_e164=bo.phone_e164, changed_fields=(ProfileField.DISPLAY_NAME,)),
    ]  # fmt: skip
    await contacts.events.publish(*events, times=TWICE)

    async def settled():
        items = (await contacts.list(owner.user_id))["items"]
        return [c["display_name"] for c in items] == ["Bo Renamed", "Desk"]

    await contacts.until(settled)
    assert await list_sizes(contacts, company) == {"members": 2, "points": 1}

    leaving = [
        CompanyMemberLeft(company_id=company, user_id=bo.user_id),
        ContactPointRemoved(company_id=company, contact_point_id=point),
    ]
    await contacts.events.publish(*leaving, times=TWICE)

    async def emptied():
        return (await contacts.list(owner.user_id))["total"] == 0

    await contacts.until(emptied)
    assert await list_sizes(contacts, company) == {"members": 1, "points": 0}


async def list_sizes(contacts, scope):
    """The sizes of the lists of `scope` the triggers keep (migration 0005)."""
    rows = await contacts.pool.fetch("SELECT list, n FROM list_sizes WHERE scope_id = $1", scope)
    return {row["list"]: row["n"] for row in rows}


async def test_a_deactivated_user_leaves_every_list_once(contacts, kafka_bootstrap):
    owner, gone = await contacts.register("Owner"), await contacts.register("Gone")
    await contacts.events.publish(matched_row(owner, gone))

    async def added():
        return (await contacts.list(owner.user_id))["total"] == 1

    await contacts.until(added)
    await contacts.events.publish(
        UserDeactivated(user_id=gone.user_id, reason=DeactivationReason.CLOSED_BY_USER), times=TWICE
    )

    async def removed():
        return (await contacts.list(owner.user_id))["total"] == 0

    await contacts.until(removed)
    names = [e.name for e in await contact_events(kafka_bootstrap, contacts, owner)]
    assert names == ["ContactAdded", "ContactRemoved"]
