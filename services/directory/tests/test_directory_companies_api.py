"""Companies, memberships and contact points through the API, with the events they emit."""

from __future__ import annotations

import uuid

import pytest
from contacts_events import topics
from contacts_testing.kafka_reader import read_topic

from .conftest import STAFF, bearer

pytestmark = pytest.mark.integration


@pytest.fixture
def company(directory, new_phone):
    """A company with an admin and a plain member."""
    created = directory.post("/v1/companies", json={"name": "Globex"}, headers=STAFF).json()
    people = {}
    for role in ("admin", "member"):
        user = directory.post(
            "/v1/users", json={"display_name": role, "phone": new_phone()}, headers=STAFF
        ).json()
        added = directory.post(
            f"/v1/companies/{created['company_id']}/members",
            json={"user_id": user["user_id"], "role": role},
            headers=STAFF,
        )
        assert added.status_code == 204, added.text
        people[role] = user
    return created, people


async def test_an_admin_publishes_a_contact_point_that_anyone_can_find(
    directory, company, kafka_bootstrap
):
    created, people = company
    cid = created["company_id"]
    admin = bearer(people["admin"]["user_id"])
    point = directory.post(
        f"/v1/companies/{cid}/contact-points", json={"display_name": "Reception"}, headers=admin
    )
    assert point.status_code == 201, point.text
    found = directory.get(
        f"/v1/connect-ids/{point.json()['connect_id']}", headers=bearer(str(uuid.uuid4()))
    )
    assert found.json() | {"add_token": "..."} == {
        "connect_id": point.json()["connect_id"], "display_name": "Reception",
        "company_name": "Globex", "is_contact_point": True, "add_token": "...",
    }  # fmt: skip
    listed = directory.get(
        f"/v1/companies/{cid}/contact-points", headers=bearer(people["member"]["user_id"])
    )
    assert [p["display_name"] for p in listed.json()["items"]] == ["Reception"]

    records = await read_topic(
        kafka_bootstrap, topics.DIRECTORY_COMPANIES, expect=100_000, seconds=8
    )
    types = [
        dict(r.headers)["ce_type"].decode().split(".")[-2] for r in records if r.key == cid.encode()
    ]
    assert types == [
        "CompanyCreated",
        "CompanyMemberJoined",
        "CompanyMemberJoined",
        "ContactPointCreated",
    ]


def test_a_plain_member_cannot_administer_and_outsiders_see_nothing(directory, company):
    created, people = company
    cid = created["company_id"]
    member = bearer(people["member"]["user_id"])
    refused = directory.post(
        f"/v1/companies/{cid}/contact-points", json={"display_name": "X"}, headers=member
    )
    assert refused.status_code == 403
    assert refused.json()["error"] == "not_company_admin"
    outsider = bearer(str(uuid.uuid4()))
    assert directory.get(f"/v1/companies/{cid}", headers=outsider).status_code == 404
    assert directory.get(f"/v1/companies/{cid}/contact-points", headers=outsider).status_code == 404
    assert directory.get(f"/v1/companies/{cid}", headers=member).json()["name"] == "Globex"


def test_members_leave_but_the_last_admin_stays(directory, company):
    created, people = company
    cid = created["company_id"]
    member_id, admin_id = people["member"]["user_id"], people["admin"]["user_id"]
    assert (
        directory.delete(
            f"/v1/companies/{cid}/members/{member_id}", headers=bearer(member_id)
        ).status_code
        == 204
    )
    assert directory.get("/v1/users/me", headers=bearer(member_id)).json()["company_id"] is None
    last = directory.delete(f"/v1/companies/{cid}/members/{admin_id}", headers=bearer(admin_id))
    assert last.status_code == 409
    assert last.json()["error"] == "last_admin"


def test_a_user_belongs_to_one_company_at_a_time(directory, company):
    _, people = company
    other = directory.post("/v1/companies", json={"name": "Initech"}, headers=STAFF).json()
    again = directory.post(
        f"/v1/companies/{other['company_id']}/members",
        json={"user_id": people["member"]["user_id"]},
        headers=STAFF,
    )
    assert again.status_code == 409
    assert again.json()["error"] == "already_member"
