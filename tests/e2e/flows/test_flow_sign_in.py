"""The front door on the running platform: an invitee follows their invitation link, signs up
with the code the development channel shows, and lands in a contact list holding the inviter;
the directory's tokens work on every service, refresh rotates them, a key rotation needs no
restart, and closing the account revokes the session and is refused by every service."""

from __future__ import annotations

import asyncio
import json

import jwt
import pytest
from contacts_testing.auth import bearer
from contacts_testing.codes import wait_for_code
from contacts_testing.platform_client import eventually

pytestmark = pytest.mark.e2e

INVITEE, INVITER = "+447400760001", "+447400760002"


def invitation_token(platform, phone: str) -> str | None:
    path = platform.messages_dir / "messages.jsonl"
    for record in map(json.loads, path.read_text().splitlines() if path.exists() else []):
        if record["to"] == phone and record.get("kind") == "invitation":
            return str(record["link"]).rsplit("/", 1)[1]
    return None


async def sign_in(client, platform, phone: str, **sign_up: str) -> dict:
    asked = await client.directory.post("/v1/auth/codes", json={"phone": phone})
    assert asked.status_code == 202, asked.text
    code = await asyncio.to_thread(wait_for_code, platform.messages_dir, phone)
    answer = await client.directory.post(
        "/v1/auth/sign-in", json={"phone": phone, "code": code, **sign_up}
    )
    assert answer.status_code in (200, 201), answer.text
    signed: dict = answer.json()
    return signed


def lists(client):
    """A read of each service that verifies tokens with the directory's published keys."""
    return [
        (client.contacts, "/v1/contacts"),
        (client.importer, "/v1/imports"),
        (client.invitations, "/v1/invitations"),
    ]


def auth(tokens: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


async def test_an_invitee_signs_up_by_code_and_the_tokens_work_everywhere(platform, client, audit):
    lea = await client.register("Lea", INVITER)
    invited = await client.invitations.post(
        "/v1/invitations", json={"channel": "sms", "phone": INVITEE}, headers=lea.auth
    )
    assert invited.status_code == 201, invited.text
    token = await eventually(
        lambda: asyncio.to_thread(invitation_token, platform, INVITEE), lambda t: t is not None
    )

    tom = await sign_in(client, platform, INVITEE, display_name="Tom", invitation_token=token)

    assert tom["signed_up"] is True
    [accepted] = await audit.wait_for("InvitationAccepted", key=invited.json()["invitation_id"])
    assert str(accepted.data.invitee_user_id) == tom["user"]["user_id"]
    for service, path in [*lists(client), (client.directory, "/v1/users/me")]:
        answer = await service.get(path, headers=auth(tom))
        assert answer.status_code == 200, (path, answer.text)

    async def tom_contacts():
        page = await client.contacts.get("/v1/contacts", headers=auth(tom))
        return [c["display_name"] for c in page.json()["items"]]

    await eventually(tom_contacts, lambda names: names == ["Lea"])

    again = await sign_in(client, platform, INVITEE)
    assert again["signed_up"] is False
    assert again["user"]["user_id"] == tom["user"]["user_id"]


async def test_refresh_rotation_key_rotation_and_closing_the_account(platform, client):
    ivy = await sign_in(client, platform, "+447400760011", display_name="Ivy")
    refreshed = await client.directory.post(
        "/v1/auth/refresh", json={"refresh_token": ivy["refresh_token"]}
    )
    assert refreshed.status_code == 200
    tokens = refreshed.json()
    assert (await client.contacts.get("/v1/contacts", headers=auth(tokens))).status_code == 200

    rotated = await client.directory.post(
        "/v1/auth/signing-keys", headers=bearer("platform-operator", "admin")
    )
    assert rotated.status_code == 201
    newer = await sign_in(client, platform, "+447400760012", display_name="Jon")
    assert jwt.get_unverified_header(newer["access_token"])["kid"] == rotated.json()["kid"]
    for service, path in lists(client):  # accepted everywhere without a restart
        assert (await service.get(path, headers=auth(newer))).status_code == 200
    assert (await client.contacts.get("/v1/contacts", headers=auth(tokens))).status_code == 200

    closed = await client.directory.delete("/v1/users/me", headers=auth(tokens))
    assert closed.status_code == 204
    after = await client.directory.post(
        "/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert (after.status_code, after.json()["error"]) == (401, "refresh_token_invalid")
    for service, path in [(client.directory, "/v1/users/me"), *lists(client)]:  # and its token
        refused = await eventually(
            lambda s=service, p=path: s.get(p, headers=auth(tokens)), lambda r: r.status_code == 401
        )
        assert refused.json()["error"] == "account_closed", (path, refused.text)
