"""The sign-in use cases alone (ask for a code, sign in or up, refresh, sign out) on an
in-memory unit of work (fake_users_work.py): no Postgres, no Kafka, no SMS. The fake checks
that a code's attempt and a rate-limit token are spent outside the transaction, so a failed
request keeps their cost. The same use cases over HTTP: test_directory_sign_in.py."""

from __future__ import annotations

import pytest
from contacts_servicekit.domain_errors import LimitReached, NotAuthenticated, Refused
from directory_service.domain.one_time_codes import Purpose
from directory_service.domain.rate_limits import Limit
from directory_service.handlers import sessions, sign_in
from directory_service.handlers.codes import Codes
from directory_service.handlers.sign_in import NewUser, SignedIn, SignInLimits

from .fake_users_state import SentCodes
from .fake_users_work import FakeUsersWork

pytestmark = pytest.mark.unit
PHONE, ADDRESS = "+447400000001", "192.0.2.1"
LIMITS = SignInLimits(
    Limit("codes_number", 2, 1), Limit("codes_address", 3, 1), Limit("tries", 4, 1)
)


@pytest.fixture
def work() -> FakeUsersWork:
    return FakeUsersWork()


async def attempt(
    work: FakeUsersWork, codes: Codes, code: str, new_user: NewUser | None = None
) -> SignedIn:
    return await sign_in.sign_in(work, codes, LIMITS, PHONE, code, ADDRESS, new_user)


async def test_a_code_goes_out_by_sms_whoever_holds_the_number(
    work: FakeUsersWork, codes: Codes, sms: SentCodes
) -> None:
    await sign_in.request_code(work, codes, LIMITS, PHONE, ADDRESS)
    [message] = sms.sent
    assert (message.purpose, message.to, message.subject) == (Purpose.SIGN_IN, PHONE, None)
    stored = work.state.codes[(Purpose.SIGN_IN, PHONE, None)]
    assert sms.last_code().encode() not in stored.code_hmac  # only its HMAC is kept
    assert stored.attempts_left == 2


async def test_codes_for_one_number_are_limited_from_any_address(
    work: FakeUsersWork, codes: Codes, sms: SentCodes
) -> None:
    for address in ("192.0.2.1", "192.0.2.2"):
        await sign_in.request_code(work, codes, LIMITS, PHONE, address)
    with pytest.raises(LimitReached) as refused:
        await sign_in.request_code(work, codes, LIMITS, PHONE, "192.0.2.3")
    assert (refused.value.code, refused.value.field) == ("rate_limited", "phone")
    assert refused.value.retry_after == 42 and len(sms.sent) == 2


async def test_codes_from_one_address_are_limited_for_any_number(
    work: FakeUsersWork, codes: Codes, sms: SentCodes
) -> None:
    for phone in ("+447400000001", "+447400000002", "+447400000003"):
        await sign_in.request_code(work, codes, LIMITS, phone, ADDRESS)
    with pytest.raises(LimitReached) as refused:
        await sign_in.request_code(work, codes, LIMITS, "+447400000004", ADDRESS)
    assert (refused.value.code, refused.value.field) == ("rate_limited", None)
    assert len(sms.sent) == 3


async def test_a_known_number_signs_in_and_the_code_is_used_up(
    work: FakeUsersWork, codes: Codes, sms: SentCodes
) -> None:
    ada = work.person(PHONE)
    await sign_in.request_code(work, codes, LIMITS, PHONE, ADDRESS)
    signed = await attempt(work, codes, sms.last_code())
    assert (signed.user.user_id, signed.signed_up, work.events) == (ada, False, [])
    assert signed.tokens.access_token.startswith(f"access {ada} ")
    assert signed.tokens.expires_in == 900 and work.revocations() == [None]
    with pytest.raises(Refused) as again:
        await attempt(work, codes, sms.last_code())
    assert (again.value.code, again.value.field) == ("code_invalid", "code")


async def test_a_new_number_needs_a_name_and_keeps_its_code_until_then(
    work: FakeUsersWork, codes: Codes, sms: SentCodes
) -> None:
    await sign_in.request_code(work, codes, LIMITS, PHONE, ADDRESS)
    with pytest.raises(Refused) as refused:
        await attempt(work, codes, sms.last_code())
    assert (refused.value.code, refused.value.field) == ("display_name_required", "display_name")
    assert work.state.people == {} and work.state.sessions == {}  # rolled back, code kept
    signed = await attempt(work, codes, sms.last_code(), NewUser("Ada", "invitation"))
    assert signed.signed_up and signed.user.display_name == "Ada"
    assert work.event_names() == ["UserRegistered"] and work.actor == signed.user.user_id
    assert work.state.codes == {}


async def test_a_wrong_code_costs_an_attempt_and_the_last_one_ends_the_code(
    work: FakeUsersWork, codes: Codes, sms: SentCodes
) -> None:
    work.person(PHONE)
    await sign_in.request_code(work, codes, LIMITS, PHONE, ADDRESS)
    right = sms.last_code()
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(2):  # CodeRules(attempts=2)
        with pytest.raises(Refused) as refused:
            await attempt(work, codes, wrong)
        assert refused.value.code == "code_invalid"
    with pytest.raises(Refused):  # the right code, too late: the same answer
        await attempt(work, codes, right)
    assert work.state.sessions == {}


async def test_sign_in_attempts_are_limited_per_address(work: FakeUsersWork, codes: Codes) -> None:
    for _ in range(4):
        with pytest.raises(Refused):
            await attempt(work, codes, "123456")  # no code was sent
    with pytest.raises(LimitReached) as refused:
        await attempt(work, codes, "123456")
    assert refused.value.code == "rate_limited"


async def signed_in(work: FakeUsersWork, codes: Codes, sms: SentCodes) -> SignedIn:
    work.person(PHONE)
    await sign_in.request_code(work, codes, LIMITS, PHONE, ADDRESS)
    return await attempt(work, codes, sms.last_code())


async def test_a_refresh_token_is_used_once_and_a_second_use_closes_the_session(
    work: FakeUsersWork, codes: Codes, sms: SentCodes
) -> None:
    first = (await signed_in(work, codes, sms)).tokens
    second = await sessions.refresh(work, first.refresh_token)
    assert second.refresh_token != first.refresh_token
    with pytest.raises(NotAuthenticated) as reused:
        await sessions.refresh(work, first.refresh_token)
    assert (reused.value.code, reused.value.field) == ("refresh_token_reused", "refresh_token")
    assert work.revocations() == ["refresh_token_reused"]  # it stands: raised after the commit
    with pytest.raises(NotAuthenticated) as closed:
        await sessions.refresh(work, second.refresh_token)
    assert closed.value.code == "refresh_token_invalid"


async def test_an_unknown_refresh_token_is_refused_and_changes_nothing(
    work: FakeUsersWork,
) -> None:
    with pytest.raises(NotAuthenticated) as refused:
        await sessions.refresh(work, "made-up")
    assert refused.value.code == "refresh_token_invalid"
    await sessions.sign_out(work, "made-up")
    assert work.state.sessions == {}


async def test_a_closed_accounts_session_does_not_refresh(
    work: FakeUsersWork, codes: Codes, sms: SentCodes
) -> None:
    signed = await signed_in(work, codes, sms)
    await work.deactivate(signed.user.user_id)  # as if closed elsewhere, sessions still open
    with pytest.raises(NotAuthenticated) as refused:
        await sessions.refresh(work, signed.tokens.refresh_token)
    assert refused.value.code == "refresh_token_invalid"
    assert work.revocations() == ["account_closed"]


async def test_signing_out_ends_the_session(
    work: FakeUsersWork, codes: Codes, sms: SentCodes
) -> None:
    tokens = (await signed_in(work, codes, sms)).tokens
    await sessions.sign_out(work, tokens.refresh_token)
    assert work.revocations() == ["signed_out"]
    with pytest.raises(NotAuthenticated):
        await sessions.refresh(work, tokens.refresh_token)
