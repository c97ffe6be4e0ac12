"""The resend cool-down follows the destination: deleting an invitation and inviting the same
number or address again is refused like a resend until the cool-down has passed (the real
service, its Postgres and Kafka, a cool-down of a few seconds)."""

from __future__ import annotations

import asyncio
import re
import uuid

import pytest

from .conftest import InvitationsUnderTest, bearer, invitations_with

pytestmark = pytest.mark.integration


short_cooldown = invitations_with(
    "cooldown", RESEND_COOLDOWN_MINUTES="0.1", COUNTRY_ALLOW_LIST="false"
)


async def invite_and_delete(service: InvitationsUnderTest, me: dict, body: dict) -> None:
    created = await service.http.post("/v1/invitations", json=body, headers=me)
    assert created.status_code == 201, created.text
    path = f"/v1/invitations/{created.json()['invitation_id']}"
    assert created.headers["Location"] == path
    assert (await service.http.delete(path, headers=me)).status_code == 204


async def refused_for_cooldown(service: InvitationsUnderTest) -> float:
    metrics = (await service.http.get("/metrics")).text
    found = re.search(r'invitations_refused_total\{reason="resend_cooldown"\} (\S+)', metrics)
    return float(found[1]) if found else 0.0


async def test_inviting_a_deleted_invitations_destination_again_waits_for_the_cool_down(
    short_cooldown,
):
    me = bearer(uuid.uuid4())
    await invite_and_delete(short_cooldown, me, {"phone": "+33612349001"})
    before = await refused_for_cooldown(short_cooldown)

    again = await short_cooldown.http.post(
        "/v1/invitations", json={"phone": "+33 6 12 34 90 01"}, headers=me
    )
    assert again.status_code == 429, again.text
    assert again.json()["error"] == "rate_limited"
    assert "can be resent in" in again.json()["detail"]
    retry_after = int(again.headers["Retry-After"])
    assert 1 <= retry_after <= 6
    assert again.headers["RateLimit-Policy"] == '"resend_cooldown";q=1;w=6'
    assert again.headers["RateLimit"] == f'"resend_cooldown";r=0;t={retry_after}'
    assert await refused_for_cooldown(short_cooldown) == before + 1  # the limit that refused
    other = await short_cooldown.http.post(
        "/v1/invitations", json={"phone": "+33612349001"}, headers=bearer(uuid.uuid4())
    )
    assert other.status_code == 201  # each inviter's own cool-down

    await asyncio.sleep(retry_after)
    later = await short_cooldown.http.post(
        "/v1/invitations", json={"phone": "+33612349001"}, headers=me
    )
    assert later.status_code == 201, later.text


async def test_an_address_is_one_destination_whatever_its_case(short_cooldown):
    me = bearer(uuid.uuid4())
    await invite_and_delete(short_cooldown, me, {"channel": "email", "email": "Zoe@Example.org"})
    again = await short_cooldown.http.post(
        "/v1/invitations", json={"channel": "email", "email": "zoe@example.ORG"}, headers=me
    )
    assert again.status_code == 429, again.text
    assert int(again.headers["Retry-After"]) >= 1
