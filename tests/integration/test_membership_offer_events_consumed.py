"""The services that read `directory.companies` (contacts, invitations) pass over the membership
offer events without a dead letter, and still apply the `CompanyMemberJoined` that follows."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from contacts_events import (
    CompanyCreated,
    CompanyMemberJoined,
    CompanyMembershipDeclined,
    CompanyMembershipOffered,
    CompanyMembershipWithdrawn,
    CompanyRole,
    UserRegistered,
)
from contacts_events.connect_id import generate
from contacts_testing.running_service import RunningService, running_service
from contacts_testing.scraped_metrics import scrape, value

pytestmark = pytest.mark.integration

OFFER_EVENTS = (
    "CompanyMembershipOffered",
    "CompanyMembershipDeclined",
    "CompanyMembershipWithdrawn",
)


def offers_declined_withdrawn_then_accepted() -> list:
    company, user, admin = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    first, second, third = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    offer = {"company_id": company, "user_id": user}
    offered = {"role": CompanyRole.MEMBER, "offered_by": admin,
               "expires_at": datetime(2030, 1, 1, tzinfo=UTC)}  # fmt: skip
    return [
        UserRegistered(user_id=user, connect_id=generate(), display_name="Tess",
                       phone_e164=f"+447400{uuid.uuid4().int % 1_000_000:06d}"),
        CompanyCreated(company_id=company, company_name="Acme"),
        CompanyMembershipOffered(offer_id=first, **offer, **offered),
        CompanyMembershipDeclined(offer_id=first, **offer),
        CompanyMembershipOffered(offer_id=second, **offer, **offered),
        CompanyMembershipWithdrawn(offer_id=second, **offer),
        CompanyMembershipOffered(offer_id=third, **offer, **offered),
        CompanyMemberJoined(role=CompanyRole.MEMBER, offer_id=third, **offer),
    ]  # fmt: skip


@pytest.mark.parametrize("name", ["contacts", "invitations"])
async def test_offer_events_are_ignored_and_the_join_applied(
    postgres_admin_url, kafka_bootstrap, tmp_path, name
):
    events = offers_declined_withdrawn_then_accepted()
    joined = events[-1]
    async with running_service(name, postgres_admin_url, kafka_bootstrap, tmp_path) as svc:
        await svc.events.publish(*events)
        query = "SELECT true FROM company_members WHERE company_id = $1 AND user_id = $2"
        await svc.until(lambda: svc.pool.fetchval(query, joined.company_id, joined.user_id))
        await _nothing_dead_lettered(svc, name)


async def _nothing_dead_lettered(svc: RunningService, name: str) -> None:
    samples = await scrape(svc)
    consumed = {"group": f"{svc.namespace}.{name}.directory",
                "topic": f"{svc.namespace}.directory.companies"}  # fmt: skip
    ignored = [value(samples, "events_consumed_total", outcome="ignored", type=t, **consumed)
               for t in OFFER_EVENTS]  # fmt: skip
    assert ignored == [3, 1, 1]
    dead = [key for key, count in samples.items()
            if key[0] == "events_consumed_total" and ("outcome", "dead_lettered") in key[1]
            and count]  # fmt: skip
    assert not dead
