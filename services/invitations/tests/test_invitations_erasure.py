"""A user's account closes: the invitations service erases their number and email from its
directory projection and from the invitations they accepted (marker `erased`, ids and status
kept), with the send counters, cool-downs and sent events of those invitations; another
person's invitation is untouched."""

from __future__ import annotations

import uuid

import pytest
from contacts_events import DeactivationReason, UserDeactivated, UserRegistered
from contacts_events.connect_id import generate

from .conftest import InvitationsUnderTest, bearer, invitations_with

pytestmark = pytest.mark.integration
service = invitations_with("erasure")
PHONE, EMAIL, OTHER = "+33612349101", "leaver@example.com", "+33612349102"


async def test_a_closure_erases_the_number_and_email_of_what_they_accepted(
    service: InvitationsUnderTest,
):
    inviter = bearer(uuid.uuid4())
    invited = [await _invite(service, inviter, body) for body in
               ({"phone": PHONE}, {"channel": "email", "email": EMAIL}, {"phone": OTHER})]  # fmt: skip
    leaver = UserRegistered(user_id=uuid.uuid4(), connect_id=generate(), display_name="Lea",
                            phone_e164=PHONE, email=EMAIL)  # fmt: skip
    await service.events.publish(leaver)
    accepted = "SELECT count(*) FROM invitations WHERE invitee_user_id = $1"
    await service.until(lambda: _equals(service.pool.fetchval(accepted, leaver.user_id), 2))
    await _close(service, leaver.user_id)
    rows = await service.pool.fetch(
        "SELECT invitation_id::text, phone_e164, email, status FROM invitations"
        " WHERE invitation_id = ANY($1::uuid[]) ORDER BY created_at", invited,
    )  # fmt: skip
    assert [(r["phone_e164"], r["email"], r["status"]) for r in rows] == [
        ("erased", None, "accepted"), (None, "erased", "accepted"), (OTHER, None, "sent"),
    ]  # fmt: skip
    for table, column in (("send_cooldowns", "destination"), ("daily_sends", "subject")):
        kept = await service.pool.fetch(f"SELECT {column} FROM {table}")
        assert {r[column] for r in kept} & {PHONE, EMAIL} == set()
        assert OTHER in {r[column] for r in kept}
    # no event kept in the outbox holds the number or the address (their InvitationSent are
    # gone; an InvitationAccepted the relay sends after the closure carries neither)
    holding = "SELECT count(*) FROM outbox WHERE position(convert_to($1, 'UTF8') IN value) > 0"
    assert [await service.pool.fetchval(holding, value) for value in (PHONE, EMAIL, OTHER)] == [
        0, 0, 1,
    ]  # fmt: skip


async def _close(service: InvitationsUnderTest, user_id: uuid.UUID) -> None:
    """Close the account (the event redelivered too); return once the projection is erased."""
    closure = UserDeactivated(user_id=user_id, reason=DeactivationReason.CLOSED_BY_USER)
    await service.events.publish(closure, times=2)
    erased = "SELECT phone_e164 = 'erased' FROM directory_users WHERE user_id = $1"
    await service.until(lambda: service.pool.fetchval(erased, user_id))


async def _invite(service: InvitationsUnderTest, inviter: dict[str, str], body: dict) -> str:
    invited = await service.http.post("/v1/invitations", json=body, headers=inviter)
    assert invited.status_code == 201, invited.text
    invitation_id: str = invited.json()["invitation_id"]
    sent = "SELECT bool_and(sent_at IS NOT NULL) FROM outbox WHERE key = $1::text::bytea"
    await service.until(lambda: service.pool.fetchval(sent, invitation_id))
    return invitation_id


async def _equals(value: object, expected: object) -> bool:
    return await value == expected  # type: ignore[misc]
