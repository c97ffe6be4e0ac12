"""Use cases of membership offers: an admin offers, the user accepts or declines, the admin
withdraws. Nothing an admin sees depends on the user's membership of another company. Each
takes the unit of work of one transaction (handlers/company_ports.py): no SQL, no HTTP."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime, timedelta

from contacts_events import (
    CompanyMemberJoined,
    CompanyMembershipDeclined,
    CompanyMembershipOffered,
    CompanyMembershipWithdrawn,
    CompanyRole,
)
from contacts_servicekit.domain_errors import Conflicting, Missing

from directory_service.domain.membership_offer import (
    MembershipOffer,
    OfferStatus,
    Step,
    step_towards,
)
from directory_service.handlers.company_ports import CompaniesWork


async def offer(
    work: CompaniesWork, company_id: uuid.UUID, user_id: uuid.UUID, role: CompanyRole,
    admin_id: uuid.UUID, lifetime: timedelta,
) -> MembershipOffer:  # fmt: skip
    """The company's pending offer to the user, new or already there. Made whether the user is
    free or a member of this or another company, so the answer is the same in every case."""
    if not await _is_active(work, user_id):
        raise Missing("user_not_found", "No active user has this id.", "user_id")
    made, created = await work.offers.offer(
        uuid.uuid4(), company_id, user_id, role, admin_id, lifetime
    )
    if created:
        work.emit(
            CompanyMembershipOffered(
                company_id=company_id, offer_id=made.offer_id, user_id=user_id, role=role,
                offered_by=admin_id, expires_at=made.expires_at,
            )
        )  # fmt: skip
    return made


async def pending(
    work: CompaniesWork, user_id: uuid.UUID, after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[MembershipOffer]:  # fmt: skip
    return await work.offers.pending_for(user_id, after, limit)


async def accept(work: CompaniesWork, user_id: uuid.UUID, offer_id: uuid.UUID) -> MembershipOffer:
    """Join the company. A member of another company is refused (their own membership, theirs
    to know) and the offer stays pending; a member of this company already just closes it."""
    found = await _users_offer(work, user_id, offer_id)
    if not _answer(found, OfferStatus.ACCEPTED):
        return found
    if await work.companies.role_in(found.company_id, user_id) is None:
        if not await work.companies.insert_member(found.company_id, user_id, found.role):
            raise Conflicting(
                "member_of_another_company",
                "You are a member of another company: leave it before accepting this offer.",
                "offer_id",
            )
        work.emit(
            CompanyMemberJoined(
                company_id=found.company_id, user_id=user_id, role=CompanyRole(found.role),
                offer_id=offer_id,
            )
        )  # fmt: skip
    return await _close(work, found, OfferStatus.ACCEPTED)


async def decline(work: CompaniesWork, user_id: uuid.UUID, offer_id: uuid.UUID) -> MembershipOffer:
    found = await _users_offer(work, user_id, offer_id)
    return await _end_unjoined(work, found, OfferStatus.DECLINED)


async def withdraw(work: CompaniesWork, company_id: uuid.UUID, offer_id: uuid.UUID) -> None:
    found = await work.offers.companys_offer(offer_id, company_id)
    if found is None:
        raise Missing("offer_not_found", "The company made no such membership offer.", "offer_id")
    await _end_unjoined(work, found, OfferStatus.WITHDRAWN)


_ANNOUNCED_AS = {
    OfferStatus.DECLINED: CompanyMembershipDeclined,
    OfferStatus.WITHDRAWN: CompanyMembershipWithdrawn,
}


async def _end_unjoined(
    work: CompaniesWork, found: MembershipOffer, answer: OfferStatus
) -> MembershipOffer:
    """Close a pending offer without a member, and say why; a repeat changes nothing."""
    if not _answer(found, answer):
        return found
    work.emit(
        _ANNOUNCED_AS[answer](
            company_id=found.company_id, offer_id=found.offer_id, user_id=found.user_id
        )
    )
    return await _close(work, found, answer)


def _answer(found: MembershipOffer, answer: OfferStatus) -> bool:
    """True when the pending offer now takes `answer`; False for a repeat; Conflicting when
    too late."""
    step = step_towards(found.status, answer)
    if step is Step.CLOSED:
        raise Conflicting("offer_closed", f"This membership offer is {found.status}.", "offer_id")
    return step is Step.APPLY


async def _close(
    work: CompaniesWork, found: MembershipOffer, status: OfferStatus
) -> MembershipOffer:
    await work.offers.close(found.offer_id, status)
    return replace(found, status=status)


async def _users_offer(
    work: CompaniesWork, user_id: uuid.UUID, offer_id: uuid.UUID
) -> MembershipOffer:
    """The caller's own offer; anyone else's is Missing, like one that does not exist."""
    found = await work.offers.users_offer(offer_id, user_id)
    # The user locked (after the offer): a closure of the account commits before an accept
    # (Missing here) or after its CompanyMemberJoined, whose membership it then ends.
    if found is None or not await _is_active(work, user_id, lock=True):
        raise Missing("offer_not_found", "You have no such membership offer.", "offer_id")
    return found


async def _is_active(work: CompaniesWork, user_id: uuid.UUID, *, lock: bool = False) -> bool:
    user = await work.users.get_user(user_id, for_update=lock)
    return user is not None and user.status == "active"
