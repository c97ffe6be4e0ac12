"""Joining a company needs the user's consent: a company admin's add is an offer that the user
accepts, and the admin's answer says nothing about the user's membership elsewhere."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from contacts_events import topics
from contacts_testing.audit import AuditConsumer

from .conftest import STAFF, bearer, company_run_by, register
from .membership_offers import OFFERS, answer, company_of, offer

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
async def audit(kafka_bootstrap):
    """The events on directory.companies from the module's start on."""
    topic_names = [topics.DIRECTORY_COMPANIES]
    async with AuditConsumer(kafka_bootstrap, topic_names=topic_names, from_now=True) as consumer:
        yield consumer


async def test_the_user_joins_only_by_accepting_the_admins_offer(audit, directory, new_phone, acme):
    company_id, admin = acme
    user = register(directory, new_phone(), "Road Runner")
    made = offer(directory, company_id, admin, user, role="admin")
    assert made.status_code == 202, made.text
    pending = made.json()
    assert (pending["status"], pending["role"], pending["user_id"]) == ("pending", "admin", user)
    assert (pending["company_name"], pending["offered_by_name"]) == ("Acme", "Wile")
    lifetime = datetime.fromisoformat(pending["expires_at"]) - datetime.fromisoformat(
        pending["offered_at"]
    )
    assert lifetime == timedelta(days=30)
    assert company_of(directory, user) is None
    assert directory.get(OFFERS, headers=bearer(user)).json()["items"] == [pending]

    accepted = answer(directory, user, pending["offer_id"])
    assert accepted.status_code == 200, accepted.text
    assert accepted.json() == {**pending, "status": "accepted"}
    assert company_of(directory, user) == company_id
    assert directory.get(OFFERS, headers=bearer(user)).json()["items"] == []

    joined = await audit.wait_for("CompanyMemberJoined", key=company_id, count=2)
    assert [e.name for e in audit.matching(key=company_id)] == [
        "CompanyCreated", "CompanyMemberJoined", "CompanyMembershipOffered", "CompanyMemberJoined",
    ]  # fmt: skip
    offered = audit.matching("CompanyMembershipOffered", key=company_id)[0].data
    assert (str(offered.offer_id), str(offered.user_id), offered.role) == (
        pending["offer_id"], user, "admin",
    )  # fmt: skip
    assert offered.expires_at == datetime.fromisoformat(pending["expires_at"])
    assert (str(joined[1].data.user_id), str(joined[1].data.offer_id)) == (
        user,
        pending["offer_id"],
    )


async def test_offering_and_accepting_again_are_harmless(audit, directory, new_phone, acme):
    company_id, admin = acme
    user = register(directory, new_phone())
    first, again = (offer(directory, company_id, admin, user) for _ in range(2))
    assert first.status_code == again.status_code == 202
    assert again.json() == first.json()
    offer_id = first.json()["offer_id"]
    assert answer(directory, user, offer_id).json() == answer(directory, user, offer_id).json()
    refused = answer(directory, user, offer_id, "decline")
    assert (refused.status_code, refused.json()["error"]) == (409, "offer_closed")

    leave = f"/v1/companies/{company_id}/members/{user}"
    assert directory.delete(leave, headers=bearer(user)).status_code == 204
    await audit.wait_for("CompanyMemberLeft", key=company_id)  # after anything a repeat caused
    names = [e.name for e in audit.matching(key=company_id)]
    assert names.count("CompanyMembershipOffered") == names.count("CompanyMemberJoined") - 1 == 1


def test_the_admin_gets_the_same_answer_whatever_the_users_membership(directory, new_phone, acme):
    company_id, admin = acme
    free, colleague, invited, elsewhere = (register(directory, new_phone()) for _ in range(4))
    answer(directory, colleague, offer(directory, company_id, admin, colleague).json()["offer_id"])
    offer(directory, company_id, admin, invited)
    initech = company_run_by(directory, register(directory, new_phone()), "Initech")
    joined = directory.post(
        f"/v1/companies/{initech}/members", json={"user_id": elsewhere}, headers=STAFF
    )
    assert joined.status_code == 204

    answers = {u: offer(directory, company_id, admin, u) for u in (free, colleague, invited)}
    answers[elsewhere] = offer(directory, company_id, admin, elsewhere)
    assert len({_observable(a) for a in answers.values()}) == 1, [a.text for a in answers.values()]

    offer_id = answers[elsewhere].json()["offer_id"]
    refused = answer(directory, elsewhere, offer_id)
    assert (refused.status_code, refused.json()["error"]) == (409, "member_of_another_company")
    assert [
        o["offer_id"] for o in directory.get(OFFERS, headers=bearer(elsewhere)).json()["items"]
    ] == [offer_id]
    leave = f"/v1/companies/{initech}/members/{elsewhere}"
    assert directory.delete(leave, headers=bearer(elsewhere)).status_code == 204
    assert answer(directory, elsewhere, offer_id).json()["status"] == "accepted"
    assert company_of(directory, elsewhere) == company_id


def _observable(response):
    """All an admin can tell an answer by: status, headers, the body's fields and the values
    that are not the user's, the offer's own id or a time (nor the length, which a time whose
    microseconds are 0 shortens)."""
    body = response.json()
    shared = ("status", "role", "company_id", "company_name", "offered_by_name")
    varying = ("date", "x-correlation-id", "content-length")
    headers = {k: v for k, v in response.headers.items() if k not in varying}
    return (
        response.status_code,
        tuple(sorted(headers.items())),
        tuple(sorted(body)),
        tuple(body[k] for k in shared),
    )
