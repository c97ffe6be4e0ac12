"""Proving a new phone number or email (start, confirm) on an in-memory unit of work
(fake_users_work.py): no Postgres, no Kafka, no channel. Over HTTP:
test_directory_verifications.py."""

from __future__ import annotations

import uuid

import pytest
from contacts_events import ProfileField, UserProfileChanged
from contacts_servicekit.domain_errors import Conflicting, LimitReached, Missing, Refused
from directory_service.domain.one_time_codes import Purpose
from directory_service.domain.rate_limits import Limit
from directory_service.handlers import verifications
from directory_service.handlers.codes import Codes
from directory_service.handlers.verifications import NewDestination

from .fake_users_state import SentCodes
from .fake_users_work import FakeUsersWork

pytestmark = pytest.mark.unit
NEW_PHONE = NewDestination(Purpose.VERIFY_PHONE, "+447400000002")
NEW_EMAIL = NewDestination(Purpose.VERIFY_EMAIL, "ada@example.com")
PER_USER, PER_DESTINATION = Limit("verify_user", 3, 1), Limit("verify_destination", 2, 1)


@pytest.fixture
def work() -> FakeUsersWork:
    return FakeUsersWork()


async def start(work: FakeUsersWork, codes: Codes, user_id: uuid.UUID, new: NewDestination) -> None:
    await verifications.start(work, codes, PER_USER, PER_DESTINATION, user_id, new)


@pytest.mark.parametrize(
    ("new", "field", "subject"),
    [(NEW_PHONE, ProfileField.PHONE_E164, None), (NEW_EMAIL, ProfileField.EMAIL, "Confirm")],
)
async def test_a_proved_destination_becomes_the_users(
    work: FakeUsersWork, codes: Codes, sms: SentCodes, new: NewDestination,
    field: ProfileField, subject: str | None,
) -> None:  # fmt: skip
    ada = work.person()
    await start(work, codes, ada, new)
    [message] = sms.sent
    assert message.to == new.value and (message.subject or "").startswith(subject or "")
    assert work.state.people[ada].phone_e164 == "+447400000001" and work.events == []
    user = await verifications.confirm(work, codes, ada, new, sms.last_code())
    assert getattr(user, field.value) == new.value
    [event] = work.events
    assert isinstance(event, UserProfileChanged) and event.changed_fields == (field,)


async def test_a_closed_account_gets_no_code(
    work: FakeUsersWork, codes: Codes, sms: SentCodes
) -> None:
    with pytest.raises(Missing) as refused:
        await start(work, codes, uuid.uuid4(), NEW_PHONE)
    assert refused.value.code == "user_not_found" and sms.sent == [] and work.buckets == {}


async def test_codes_to_one_destination_are_limited(
    work: FakeUsersWork, codes: Codes, sms: SentCodes
) -> None:
    ada, bob = work.person(), work.person("+447400000003")
    for user in (ada, bob):
        await start(work, codes, user, NEW_EMAIL)
    with pytest.raises(LimitReached) as refused:
        await start(work, codes, ada, NEW_EMAIL)
    assert (refused.value.code, refused.value.field) == ("rate_limited", "email")
    assert len(sms.sent) == 2


async def test_a_wrong_code_changes_nothing(
    work: FakeUsersWork, codes: Codes, sms: SentCodes
) -> None:
    ada = work.person()
    await start(work, codes, ada, NEW_PHONE)
    wrong = "000000" if sms.last_code() != "000000" else "111111"
    with pytest.raises(Refused) as refused:
        await verifications.confirm(work, codes, ada, NEW_PHONE, wrong)
    assert refused.value.code == "code_invalid" and work.events == []


async def test_a_number_another_account_holds_is_said_only_after_the_proof(
    work: FakeUsersWork, codes: Codes, sms: SentCodes
) -> None:
    ada = work.person()
    work.person(NEW_PHONE.value)
    await start(work, codes, ada, NEW_PHONE)  # no refusal: starting probes nothing
    with pytest.raises(Conflicting) as refused:
        await verifications.confirm(work, codes, ada, NEW_PHONE, sms.last_code())
    assert (refused.value.code, refused.value.field) == ("phone_taken", "phone")
    assert work.events == [] and work.state.people[ada].phone_e164 == "+447400000001"
    assert (Purpose.VERIFY_PHONE, NEW_PHONE.value, ada) in work.state.codes  # rolled back
