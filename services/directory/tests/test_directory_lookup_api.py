"""Finding users and contact points by ConnectID, and the per-user look-up limit."""

from __future__ import annotations

import uuid

import httpx
import jwt
import pytest

from .conftest import STAFF, bearer

pytestmark = pytest.mark.integration


def new_user(directory, phone, **extra):
    response = directory.post(
        "/v1/users", json={"display_name": "Lin", "phone": phone, **extra}, headers=STAFF
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_a_user_finds_another_by_connect_id_and_sees_only_the_public_profile(directory, new_phone):
    company = directory.post("/v1/companies", json={"name": "Acme"}, headers=STAFF).json()
    target = new_user(
        directory, new_phone(), email="lin@example.com", company_id=company["company_id"]
    )
    seeker = new_user(directory, new_phone())
    typed = target["connect_id"].lower().replace("-", " ")
    found = directory.get(f"/v1/connect-ids/{typed}", headers=bearer(seeker["user_id"]))
    assert found.status_code == 200
    profile = found.json()
    grant = profile.pop("add_token")
    assert profile == {
        "connect_id": target["connect_id"], "display_name": "Lin",
        "company_name": "Acme", "is_contact_point": False,
    }  # fmt: skip
    claims = jwt.decode(grant, options={"verify_signature": False})
    assert claims["aud"] == "contacts-platform/add-contact"
    assert (claims["sub"], claims["cid"]) == (seeker["user_id"], typed.replace(" ", "").upper())
    assert claims["exp"] - claims["iat"] == 600


def test_a_mistyped_connect_id_is_refused_before_any_look_up(directory, new_phone):
    target = new_user(directory, new_phone())
    cid = target["connect_id"].replace("-", "")
    swapped = cid[:3] + cid[4] + cid[3] + cid[5:] if cid[3] != cid[4] else cid[1:] + cid[0]
    refused = directory.get(f"/v1/connect-ids/{swapped}", headers=bearer(target["user_id"]))
    assert refused.status_code == 422
    assert refused.json()["field"] == "connect_id"
    assert "mistyped" in refused.json()["detail"] or "ConnectID" in refused.json()["detail"]


def test_an_unknown_connect_id_is_404_and_a_closed_account_disappears(directory, new_phone):
    target = new_user(directory, new_phone())
    seeker = bearer(str(uuid.uuid4()))
    assert (
        directory.get(f"/v1/connect-ids/{target['connect_id']}", headers=seeker).status_code == 200
    )
    directory.delete("/v1/users/me", headers=bearer(target["user_id"]))
    gone = directory.get(f"/v1/connect-ids/{target['connect_id']}", headers=seeker)
    assert gone.status_code == 404
    assert gone.json()["error"] == "connect_id_not_found"


def test_the_look_up_limit_holds_across_two_instances(start_directory, directory, new_phone):
    target = new_user(directory, new_phone())["connect_id"]
    first = start_directory(LOOKUP_BURST="3", LOOKUP_PER_MINUTE="1")
    second = start_directory(LOOKUP_BURST="3", LOOKUP_PER_MINUTE="1")
    seeker = bearer(str(uuid.uuid4()))
    answers = [
        httpx.get(f"{instance.url}/v1/connect-ids/{target}", headers=seeker, timeout=10)
        for instance in (first, second, first, second)
    ]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    retry_after = int(answers[-1].headers["Retry-After"])
    assert 1 <= retry_after <= 60
    assert answers[-1].json()["error"] == "rate_limited"
    assert answers[-1].headers["RateLimit-Policy"] == '"connect_id_lookup";q=3;w=180'
    assert answers[-1].headers["RateLimit"] == f'"connect_id_lookup";r=0;t={retry_after}'
    other = httpx.get(
        f"{first.url}/v1/connect-ids/{target}", headers=bearer(str(uuid.uuid4())), timeout=10
    )
    assert other.status_code == 200  # the limit is per user
