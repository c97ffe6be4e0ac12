"""The front door on the running platform: an invitee follows their invitation link, signs up
with the code the development channel shows, and lands in a contact list holding the inviter;
the directory's tokens work on every service, refresh rotates them, a key rotation needs no
restart, and closing the account revokes the session and is refused by every service."""

from __future__ import annotations

import asyncio
import json

import jwt
import pytest
from contacts_client import ApiError, Unauthorized
from contacts_testing.codes import wait_for_code
from contacts_testing.platform_client import eventually, outcome

pytestmark = pytest.mark.e2e

INVITEE, INVITER = "+447400760001", "+447400760002"


def invitation_token(platform, phone: str) -> str | None:
    path = platform.messages_dir / "messages.jsonl"
    for record in map(json.loads, path.read_text().splitlines() if path.exists() else []):
        if record["to"] == phone and record.get("kind") == "invitation":
            return str(record["link"]).rsplit("/", 1)[1]
    return None


async def sign_in(client, platform, phone: str, **sign_up: str):
    """Sign in (or up) by code as the app does: the tokens, the user and whether it signed up."""
    app = client.app()
    await app.auth.request_sign_in_code(phone)
    code = await asyncio.to_thread(wait_for_code, platform.messages_dir, phone)
    return await app.auth.sign_in(phone, code, **sign_up)


def lists(app):
    """A read of each service that verifies tokens with the directory's published keys."""
    return [app.contacts.list_contacts, app.imports.list_imports, app.invitations.list_invitations]


async def test_an_invitee_signs_up_by_code_and_the_tokens_work_everywhere(platform, client, audit):
    lea = await client.register("Lea", INVITER)
    invited = await client.as_user(lea).invitations.create_invitation(phone=INVITEE)
    token = await eventually(
        lambda: asyncio.to_thread(invitation_token, platform, INVITEE), lambda t: t is not None
    )

    tom = await sign_in(client, platform, INVITEE, display_name="Tom", invitation_token=token)

    assert tom.signed_up is True
    [accepted] = await audit.wait_for("InvitationAccepted", key=invited.invitation_id)
    assert str(accepted.data.invitee_user_id) == str(tom.user.user_id)
    toms_app = client.app(tom.access_token)  # the access token alone: refused is raised
    for read in [*lists(toms_app), toms_app.users.read_me]:
        await read()
    await client.until_contacts(toms_app, ["Lea"])

    again = await sign_in(client, platform, INVITEE)
    assert again.signed_up is False
    assert again.user.user_id == tom.user.user_id


async def test_refresh_rotation_key_rotation_and_closing_the_account(platform, client):
    ivy = await sign_in(client, platform, "+447400760011", display_name="Ivy")
    tokens = await client.app().auth.refresh_tokens(ivy.refresh_token)
    ivys_app = client.app(tokens.access_token)  # the refreshed access token alone
    await ivys_app.contacts.list_contacts()

    operator = client.as_user("platform-operator", "admin")
    rotated = await operator.auth.rotate_signing_key()
    newer = await sign_in(client, platform, "+447400760012", display_name="Jon")
    assert jwt.get_unverified_header(newer.access_token)["kid"] == rotated.kid
    for read in lists(client.app(newer.access_token)):  # accepted everywhere without a restart
        await read()
    await ivys_app.contacts.list_contacts()  # and the tokens of the key before

    await ivys_app.users.close_my_account()  # this app then forgets the token; `closed` sends it
    with pytest.raises(ApiError) as after:
        await client.app().auth.refresh_tokens(tokens.refresh_token)
    assert (after.value.status, after.value.error) == (401, "refresh_token_invalid")
    closed = client.app(tokens.access_token)
    for read in [closed.users.read_me, *lists(closed)]:  # and its access token, by every service
        await eventually(lambda r=read: outcome(r()), lambda a: isinstance(a, Unauthorized))
        with pytest.raises(ApiError) as refused:
            await read()
        assert (refused.value.status, refused.value.error) == (401, "account_closed")
