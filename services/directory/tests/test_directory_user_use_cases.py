"""The users use cases alone (register, read, change the profile, close the account) on an
in-memory unit of work (fake_users_work.py): no Postgres, no Kafka. The same use cases on
Postgres are proven by test_directory_users_api.py, test_directory_account_closure.py and
test_directory_lock_before_event.py."""

from __future__ import annotations

import uuid
from datetime import timedelta

import contacts_events as events
import pytest
from contacts_events import CompanyRole, DeactivationReason, ProfileField
from contacts_servicekit.domain_errors import Conflicting, Missing
from directory_service.handlers import users
from directory_service.handlers.users import Registration

from .fake_users_state import NOW
from .fake_users_work import FakeUsersWork

pytestmark = pytest.mark.unit
ADA = Registration("Ada", "+447400000001", "ada@example.com", invitation_token="tok")


@pytest.fixture
def work() -> FakeUsersWork:
    return FakeUsersWork()


async def test_a_registered_user_is_announced_with_their_whole_profile(
    work: FakeUsersWork,
) -> None:
    user = await users.register(work, ADA)
    assert (user.display_name, user.phone_e164, user.email) == ("Ada", ADA.phone_e164, ADA.email)
    [event] = work.events
    assert isinstance(event, events.UserRegistered)
    assert (event.user_id, event.connect_id, event.invitation_token) == (
        user.user_id, user.connect_id, "tok",
    )  # fmt: skip


async def test_a_user_registered_into_a_company_joins_it_as_a_member(
    work: FakeUsersWork,
) -> None:
    company = work.company()
    user = await users.register(work, Registration("Ada", "+447400000001", company_id=company))
    assert (user.company_id, user.company_role) == (company, CompanyRole.MEMBER)
    assert work.event_names() == ["UserRegistered", "CompanyMemberJoined"]


async def test_registering_into_an_unknown_company_names_the_field(work: FakeUsersWork) -> None:
    with pytest.raises(Missing) as refused:
        await users.register(work, Registration("Ada", "+447400000001", company_id=uuid.uuid4()))
    assert (refused.value.code, refused.value.field) == ("company_not_found", "company_id")


@pytest.mark.parametrize(
    ("taken", "code"), [({"phone": "+447400000001"}, "phone_taken"), ({"email": "a@b.example"}, "email_taken")]
)  # fmt: skip
async def test_a_number_or_email_of_another_active_user_is_refused(
    work: FakeUsersWork, taken: dict[str, str], code: str
) -> None:
    work.person(taken.get("phone", "+447400000009"), taken.get("email"))
    new = Registration("Bob", taken.get("phone", "+447400000002"), taken.get("email"))
    with pytest.raises(Conflicting) as refused:
        await users.register(work, new)
    assert refused.value.code == code and work.events == []


async def test_a_closed_or_unknown_account_is_not_found(work: FakeUsersWork) -> None:
    closed = work.person()
    await users.deactivate(work, closed, DeactivationReason.CLOSED_BY_USER)
    for user_id in (closed, uuid.uuid4()):
        with pytest.raises(Missing) as refused:
            await users.read(work, user_id)
        assert refused.value.code == "user_not_found"


async def test_a_profile_change_announces_only_the_fields_that_changed(
    work: FakeUsersWork,
) -> None:
    ada = work.person(email="ada@example.com")
    changes = {ProfileField.DISPLAY_NAME: "Ada", ProfileField.EMAIL: None}  # the name is as it was
    user = await users.change_profile(work, ada, changes)
    assert user.email is None
    [event] = work.events
    assert isinstance(event, events.UserProfileChanged)
    assert event.changed_fields == (ProfileField.EMAIL,) and event.display_name == "Ada"


async def test_a_change_that_changes_nothing_announces_nothing(work: FakeUsersWork) -> None:
    ada = work.person()
    await users.change_profile(work, ada, {ProfileField.DISPLAY_NAME: "Ada"})
    assert work.events == []


async def test_closing_an_account_ends_its_membership_sessions_and_contact_details(
    work: FakeUsersWork,
) -> None:
    ada, company = work.person(email="ada@example.com"), work.company()
    work.state.roles[ada] = (company, CompanyRole.MEMBER)
    await work.open_session(uuid.uuid4(), ada, NOW + timedelta(days=1))
    await users.deactivate(work, ada, DeactivationReason.CLOSED_BY_ADMIN)
    assert work.event_names() == ["CompanyMemberLeft", "UserDeactivated"]
    assert isinstance(work.events[-1], events.UserDeactivated)
    assert work.events[-1].reason is DeactivationReason.CLOSED_BY_ADMIN
    assert work.state.roles == {} and work.revocations() == ["account_closed"]
    assert work.state.closed == {ada: "closed_by_admin"} and ada in work.state.erased
    closed = work.state.people[ada]
    assert (closed.status, closed.phone_e164, closed.email) == ("deactivated", "erased", None)


async def test_an_account_is_closed_once(work: FakeUsersWork) -> None:
    ada = work.person()
    await users.deactivate(work, ada, DeactivationReason.CLOSED_BY_USER)
    with pytest.raises(Missing):
        await users.deactivate(work, ada, DeactivationReason.CLOSED_BY_USER)
    assert work.event_names() == ["UserDeactivated"]
