"""Membership offers that end without a member: declined, withdrawn, expired; and offers that
only their own user and company can reach."""

from __future__ import annotations

import asyncpg
import pytest
from contacts_events import topics
from contacts_testing.audit import AuditConsumer

from .conftest import STAFF, bearer, company_run_by, register
from .membership_offers import OFFERS, answer, company_of, offer

pytestmark = pytest.mark.integration


@pytest.fixture
async def offered(directory, new_phone, acme):
    """A pending offer from Acme: (company id, admin headers, user id, offer id)."""
    company_id, admin = acme
    user = register(directory, new_phone(), "Bugs")
    made = offer(directory, company_id, admin, user)
    assert made.status_code == 202, made.text
    return company_id, admin, user, made.json()["offer_id"]


def withdraw(directory, company_id, admin, offer_id):
    return directory.delete(
        f"/v1/companies/{company_id}/membership-offers/{offer_id}", headers=admin
    )


def refused_as(response, status, error):
    return (response.status_code, response.json()["error"]) == (status, error)


async def test_a_declined_offer_makes_no_member_and_can_be_made_again(
    kafka_bootstrap, directory, offered
):
    company_id, admin, user, offer_id = offered
    async with AuditConsumer(kafka_bootstrap, topic_names=[topics.DIRECTORY_COMPANIES]) as audit:
        first, again = (answer(directory, user, offer_id, "decline") for _ in range(2))
        assert first.status_code == again.status_code == 200
        assert first.json()["status"] == again.json()["status"] == "declined"
        assert refused_as(answer(directory, user, offer_id), 409, "offer_closed")
        assert refused_as(withdraw(directory, company_id, admin, offer_id), 409, "offer_closed")
        assert company_of(directory, user) is None
        assert directory.get(OFFERS, headers=bearer(user)).json()["items"] == []
        assert offer(directory, company_id, admin, user).json()["offer_id"] != offer_id

        await audit.wait_for("CompanyMembershipOffered", key=company_id, count=2)
        closing = audit.matching("CompanyMembershipDeclined", key=company_id)
        assert [str(e.data.offer_id) for e in closing] == [offer_id]
        assert str(closing[0].data.user_id) == user


async def test_a_withdrawn_offer_cannot_be_accepted(kafka_bootstrap, directory, offered):
    company_id, admin, user, offer_id = offered
    async with AuditConsumer(kafka_bootstrap, topic_names=[topics.DIRECTORY_COMPANIES]) as audit:
        assert withdraw(directory, company_id, admin, offer_id).status_code == 204
        assert withdraw(directory, company_id, admin, offer_id).status_code == 204
        assert directory.get(OFFERS, headers=bearer(user)).json()["items"] == []
        assert refused_as(answer(directory, user, offer_id), 409, "offer_closed")
        assert company_of(directory, user) is None
        [withdrawn] = await audit.wait_for("CompanyMembershipWithdrawn", key=company_id)
        assert (str(withdrawn.data.offer_id), str(withdrawn.data.user_id)) == (offer_id, user)


async def test_an_expired_offer_cannot_be_accepted_and_is_offered_afresh(
    directory, offered, postgres_admin_url, directory_schema
):
    company_id, admin, user, offer_id = offered
    conn = await asyncpg.connect(
        postgres_admin_url, server_settings={"search_path": directory_schema}
    )
    try:
        await conn.execute(
            "UPDATE membership_offers SET expires_at = now() - interval '1 second',"
            " offered_at = offered_at - interval '30 days' WHERE offer_id = $1",
            offer_id,
        )
    finally:
        await conn.close()
    assert directory.get(OFFERS, headers=bearer(user)).json()["items"] == []
    assert refused_as(answer(directory, user, offer_id), 409, "offer_closed")
    assert refused_as(withdraw(directory, company_id, admin, offer_id), 409, "offer_closed")
    fresh = offer(directory, company_id, admin, user).json()
    assert fresh["offer_id"] != offer_id and fresh["status"] == "pending"
    assert answer(directory, user, fresh["offer_id"]).json()["status"] == "accepted"


def test_only_the_offers_user_and_company_reach_it(directory, new_phone, offered):
    company_id, _, user, offer_id = offered
    stranger = register(directory, new_phone())
    assert directory.get(OFFERS, headers=bearer(stranger)).json()["items"] == []
    for verb in ("accept", "decline"):
        assert refused_as(answer(directory, stranger, offer_id, verb), 404, "offer_not_found")
    other_admin = register(directory, new_phone())
    initech = company_run_by(directory, other_admin, "Initech")
    assert refused_as(
        withdraw(directory, initech, bearer(other_admin), offer_id), 404, "offer_not_found"
    )
    assert refused_as(
        withdraw(directory, company_id, bearer(other_admin), offer_id), 404, "company_not_found"
    )
    assert [o["offer_id"] for o in directory.get(OFFERS, headers=bearer(user)).json()["items"]] == [
        offer_id
    ]


def test_unknown_and_closed_users_are_404_and_the_platform_adds_at_once(directory, new_phone, acme):
    company_id, admin = acme
    closed = register(directory, new_phone())
    assert directory.post(f"/v1/users/{closed}/deactivation", headers=STAFF).status_code == 204
    for user in (closed, "00000000-0000-4000-8000-000000000000"):
        assert refused_as(offer(directory, company_id, admin, user), 404, "user_not_found")
    direct = register(directory, new_phone())
    assert offer(directory, company_id, STAFF, direct).status_code == 204
    assert company_of(directory, direct) == company_id
