"""A closed account, with two processes of the service: both refuse its token (the one whose
consumer did not take the closure heard of it by NOTIFY), and the events that were on their way
add nothing for it or with it."""

from __future__ import annotations

import uuid

import httpx
import pytest
from contacts_events import (
    AcceptanceMatch,
    DeactivationReason,
    InvitationAccepted,
    InvitationChannel,
    UserDeactivated,
)
from contacts_testing.second_instance import second_instance

from .conftest import ContactsUnderTest, bearer
from .test_contacts_from_events import matched_row

pytestmark = pytest.mark.integration


async def test_both_processes_refuse_a_closed_account_and_nothing_is_added_for_or_with_it(
    contacts: ContactsUnderTest, tmp_path
):
    owner, gone, friend = [await contacts.register(name) for name in ("Owner", "Gone", "Friend")]
    async with second_instance(contacts, tmp_path) as other:
        await contacts.events.publish(
            UserDeactivated(user_id=gone.user_id, reason=DeactivationReason.CLOSED_BY_USER)
        )
        for process in (contacts.http, other):
            await contacts.until(lambda p=process: _refused(p, gone.user_id))
        assert (await other.get("/v1/contacts", headers=bearer(owner.user_id))).status_code == 200

        late = await contacts.events.publish(
            matched_row(owner, gone),  # the closed user would become a contact
            matched_row(gone, friend),  # the closed user would get one
            _accepted(inviter=gone.user_id, invitee=friend.user_id),
        )
        await contacts.until(lambda: _applied(contacts, [event.id for event in late]))
    kept = await contacts.pool.fetchval(
        "SELECT count(*) FROM contacts WHERE $1 IN (owner_id, contact_user_id)", gone.user_id
    )
    assert kept == 0


async def _refused(process: httpx.AsyncClient, user_id: uuid.UUID) -> bool:
    answer = await process.get("/v1/contacts", headers=bearer(user_id))
    return answer.status_code == 401 and answer.json()["error"] == "account_closed"


async def _applied(contacts: ContactsUnderTest, event_ids: list[uuid.UUID]) -> bool:
    taken = await contacts.pool.fetchval(
        "SELECT count(*) FROM inbox WHERE consumer LIKE '%contacts.additions'"
        " AND event_id = ANY($1::uuid[])",
        event_ids,
    )
    return bool(taken == len(event_ids))


def _accepted(inviter: uuid.UUID, invitee: uuid.UUID) -> InvitationAccepted:
    return InvitationAccepted(
        invitation_id=uuid.uuid4(), inviter_id=inviter, invitee_user_id=invitee,
        channel=InvitationChannel.SMS, matched_by=AcceptanceMatch.PHONE,
    )  # fmt: skip
