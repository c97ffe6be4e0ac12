"""The typed client against the running directory: sign-in by code, the profile and its proofs,
refresh and sign-out, a backend's token, companies, members, offers and contact points."""

from __future__ import annotations

import httpx
import pytest
from contacts_client import AsyncContactsPlatform, Conflict, Tokens, Unauthorized
from contacts_testing.platform_client import eventually, outcome

from .conftest import Platform

pytestmark = pytest.mark.e2e


async def test_sign_in_by_code_profile_proof_refresh_and_sign_out(platform: Platform) -> None:
    saved: list[Tokens | None] = []
    client = AsyncContactsPlatform(platform.settings, save_tokens=saved.append)
    phone, email = "+447400790001", "ivy@example.com"

    sent = await client.auth.request_sign_in_code(phone)
    signed = await client.auth.sign_in(phone, await platform.code(phone), display_name="Ivy")
    changed = await client.users.change_me(display_name="Ivy Blue")
    first_refresh = signed.refresh_token
    renewed = await client.auth.refresh_tokens()
    await client.users.start_verification(email=email)
    proved = await client.users.confirm_verification(
        await platform.code(email, "verification_code"), email=email
    )
    keys = await client.auth.read_signing_keys()
    await client.auth.sign_out()

    assert sent.expires_in > 0 and signed.signed_up
    assert (await AsyncContactsPlatform(platform.settings, token=renewed).users.read_me()) == proved
    assert (changed.display_name, proved.email) == ("Ivy Blue", email)
    assert [t.refresh_token if t else None for t in saved] == [
        first_refresh, renewed.refresh_token, None,
    ]  # fmt: skip
    assert keys.keys and client.tokens is None
    with pytest.raises(Unauthorized) as refused:
        await client.auth.refresh_tokens(renewed.refresh_token)
    assert refused.value.error == "refresh_token_invalid"


async def test_a_closed_account_is_refused_by_every_service(platform: Platform) -> None:
    phone = "+447400790002"
    client = platform.client()
    await client.auth.request_sign_in_code(phone)
    signed = await client.auth.sign_in(phone, await platform.code(phone), display_name="Jon")
    assert (await client.contacts.list_contacts()).items == []  # its token works elsewhere

    await client.users.close_my_account()

    old = platform.client(signed.access_token)

    closed = await eventually(
        lambda: outcome(old.imports.read_import("00000000-0000-0000-0000-000000000000")),
        lambda answer: isinstance(answer, Unauthorized),
    )
    assert isinstance(closed, Unauthorized) and closed.error == "account_closed"
    assert client.tokens is None


async def test_a_backend_sets_up_a_company_its_members_and_contact_points(
    platform: Platform,
) -> None:
    company, ann = await platform.company("Acme", "Ann", "+447400790011")
    backend = await platform.backend()
    bob = await backend.users.register_user("Bob", "+447400790012")

    point = await backend.directory.create_contact_point(company.company_id, "Reception")
    admin, member = platform.as_user(ann.user_id), platform.as_user(bob.user_id)
    assert (await admin.directory.list_contact_points(company.company_id)).items == [point]
    await admin.directory.remove_contact_point(company.company_id, point.contact_point_id)
    assert await admin.directory.read_company(company.company_id) == company

    declined = await admin.directory.add_member(company.company_id, bob.user_id)
    assert declined is not None
    assert [o.offer_id async for o in member.users.iter_membership_offers()] == [declined.offer_id]
    assert (await member.users.decline_membership_offer(declined.offer_id)).status == "declined"
    withdrawn = await admin.directory.add_member(company.company_id, bob.user_id)
    assert withdrawn is not None
    await admin.directory.withdraw_membership_offer(company.company_id, withdrawn.offer_id)
    accepted = await admin.directory.add_member(company.company_id, bob.user_id)
    assert accepted is not None
    assert (await member.users.accept_membership_offer(accepted.offer_id)).status == "accepted"
    assert (await member.users.read_me()).company_id == company.company_id
    await admin.directory.remove_member(company.company_id, bob.user_id)
    await backend.users.deactivate_user(bob.user_id)

    operator = platform.as_user("platform-operator", "admin")
    assert (await operator.auth.rotate_signing_key()).kid


class LosesFirstAnswer(httpx.AsyncBaseTransport):
    """Sends every request, but the first answer never reaches the client (a timeout)."""

    def __init__(self) -> None:
        self.real, self.sent = httpx.AsyncHTTPTransport(), 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        answer = await self.real.handle_async_request(request)
        self.sent += 1
        if self.sent == 1:
            await answer.aread()
            raise httpx.ReadTimeout("the answer was lost", request=request)
        return answer


async def test_a_creating_call_retried_after_a_lost_answer_creates_once(
    platform: Platform,
) -> None:
    backend, losing = await platform.backend(), LosesFirstAnswer()
    lossy = AsyncContactsPlatform(platform.settings, token=backend.tokens, transport=losing)

    zoe = await lossy.users.register_user("Zoe", "+447400790021")  # a retry without the key: 409

    assert (zoe.display_name, losing.sent) == ("Zoe", 2)
    with pytest.raises(Conflict):  # registered once: the number is hers
        await backend.users.register_user("Zoe again", "+447400790021")
