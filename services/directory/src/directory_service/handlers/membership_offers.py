"""Use cases of membership offers: an admin offers, the user accepts or declines, the admin
withdraws. Nothing an admin sees depends on the user's membership of another company."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime, timedelta

import asyncpg
from contacts_events import (
    CompanyMemberJoined,
    CompanyMembershipDeclined,
    CompanyMembershipOffered,
    CompanyMembershipWithdrawn,
    CompanyRole,
    EventContext,
)
from contacts_messaging.outbox import Outbox
from contacts_servicekit.domain_errors import Conflicting, Missing

from directory_service.adapters import companies_repository as companies
from directory_service.adapters import membership_offers_repository as offers
from directory_service.adapters import users_repository as users
from directory_service.domain.membership_offer import (
    MembershipOffer,
    OfferStatus,
    Step,
    step_towards,
)


async def offer(
    conn: asyncpg.Connection, outbox: Outbox, context: EventContext, company_id: uuid.UUID,
    user_id: uuid.UUID, role: CompanyRole, admin_id: uuid.UUID, lifetime: timedelta,
) -> MembershipOffer:  # fmt: skip
    """The company's pending offer to the user, new or already there. Made whether the user is
    free or a member of this or another company, so the answer is the same in every case."""
    if not await _is_active(conn, user_id):
        raise Missing("user_not_found", "No active user has this id.", "user_id")
    made, created = await offers.offer(
        conn, uuid.uuid4(), company_id, user_id, role, admin_id, lifetime
    )
    if created:
        event = CompanyMembershipOffered(
            company_id=company_id, offer_id=made.offer_id, user_id=user_id, role=role,
            offered_by=admin_id, expires_at=made.expires_at,
        )  # fmt: skip
        await outbox.add(conn, [event], context)
    return made


async def pending(
    conn: asyncpg.Connection, user_id: uuid.UUID, after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[MembershipOffer]:  # fmt: skip
    return await offers.pending_for(conn, user_id, after, limit)


async def accept(
    conn: asyncpg.Connection, outbox: Outbox, context: EventContext,
    user_id: uuid.UUID, offer_id: uuid.UUID,
) -> MembershipOffer:  # fmt: skip
    """Join the company. A member of another company gets 409 (their own membership, theirs to
    know) and the offer stays pending; a member of this company already just closes it."""
    found = await _users_offer(conn, user_id, offer_id)
    if not _answer(found, OfferStatus.ACCEPTED):
        return found
    if await companies.role_in(conn, found.company_id, user_id) is None:
        if not await companies.insert_member(conn, found.company_id, user_id, found.role):
            raise Conflicting(
                "member_of_another_company",
                "You are a member of another company: leave it before accepting this offer.",
                "offer_id",
            )
        joined = CompanyMemberJoined(
            company_id=found.company_id, user_id=user_id, role=CompanyRole(found.role),
            offer_id=offer_id,
        )  # fmt: skip
        await outbox.add(conn, [joined], context)
    return await _close(conn, found, OfferStatus.ACCEPTED)


async def decline(
    conn: asyncpg.Connection, outbox: Outbox, context: EventContext,
    user_id: uuid.UUID, offer_id: uuid.UUID,
) -> MembershipOffer:  # fmt: skip
    found = await _users_offer(conn, user_id, offer_id)
    return await _end_unjoined(conn, outbox, context, found, OfferStatus.DECLINED)


async def withdraw(
    conn: asyncpg.Connection, outbox: Outbox, context: EventContext,
    company_id: uuid.UUID, offer_id: uuid.UUID,
) -> None:  # fmt: skip
    found = await offers.companys_offer(conn, offer_id, company_id)
    if found is None:
        raise Missing("offer_not_found", "The company made no such membership offer.", "offer_id")
    await _end_unjoined(conn, outbox, context, found, OfferStatus.WITHDRAWN)


_ANNOUNCED_AS = {
    OfferStatus.DECLINED: CompanyMembershipDeclined,
    OfferStatus.WITHDRAWN: CompanyMembershipWithdrawn,
}


async def _end_unjoined(
    conn: asyncpg.Connection, outbox: Outbox, context: EventContext,
    found: MembershipOffer, answer: OfferStatus,
) -> MembershipOffer:  # fmt: skip
    """Close a pending offer without a member, and say why; a repeat changes nothing."""
    if not _answer(found, answer):
        return found
    event = _ANNOUNCED_AS[answer](
        company_id=found.company_id, offer_id=found.offer_id, user_id=found.user_id
    )
    await outbox.add(conn, [event], context)
    return await _close(conn, found, answer)


def _answer(found: MembershipOffer, answer: OfferStatus) -> bool:
    """True when the pending offer now takes `answer`; False for a repeat; 409 when too late."""
    step = step_towards(found.status, answer)
    if step is Step.CLOSED:
        raise Conflicting("offer_closed", f"This membership offer is {found.status}.", "offer_id")
    return step is Step.APPLY


async def _close(
    conn: asyncpg.Connection, found: MembershipOffer, status: OfferStatus
) -> MembershipOffer:
    await offers.close(conn, found.offer_id, status)
    return replace(found, status=status)


async def _users_offer(
    conn: asyncpg.Connection, user_id: uuid.UUID, offer_id: uuid.UUID
) -> MembershipOffer:
    """The caller's own offer; anyone else's is 404, like one that does not exist."""
    found = await offers.users_offer(conn, offer_id, user_id)
    # The user locked (after the offer): a closure of the account commits before an accept
    # (404 here) or after its CompanyMemberJoined, whose membership it then ends.
    if found is None or not await _is_active(conn, user_id, lock=True):
        raise Missing("offer_not_found", "You have no such membership offer.", "offer_id")
    return found


async def _is_active(conn: asyncpg.Connection, user_id: uuid.UUID, *, lock: bool = False) -> bool:
    user = await users.get_user(conn, user_id, for_update=lock)
    return user is not None and user.status == "active"
