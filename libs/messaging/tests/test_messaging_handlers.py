"""The typed handler registry alone (no Kafka, no Postgres): what the inbox receives from
`EventHandlers.bind` dispatches each event by its type to its function, with the typed data,
the envelope, the connection and the bound dependencies, and refuses what is a programming
error with a clear exception."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

import pytest
from contacts_events import (
    CompanyCreated,
    DeactivationReason,
    ProfileField,
    UserDeactivated,
    UserProfileChanged,
    UserRegistered,
)
from contacts_events.base import IntegrationEvent
from contacts_events.connect_id import generate
from contacts_events.envelope import CloudEvent, EventContext
from contacts_messaging.handlers import DuplicateHandler, EventHandlers, WrongEventData

pytestmark = pytest.mark.unit
CONN = object()  # the handlers below never touch it: the registry passes it on as given
Calls = list[tuple[str, Any, CloudEvent, object, str]]


def envelope(data: IntegrationEvent) -> CloudEvent:
    return CloudEvent.wrap(data, source="/tests", context=EventContext())


def registered(user_id: uuid.UUID) -> UserRegistered:
    return UserRegistered(user_id=user_id, connect_id=generate(), display_name="Ada",
                          phone_e164="+447400123456")  # fmt: skip


def recording_handlers() -> EventHandlers[Calls]:
    """A registry whose dependency is the list each handler appends its call to."""
    handlers = EventHandlers[Calls]()

    @handlers.on(UserRegistered, UserProfileChanged)
    async def profile(
        user: UserRegistered | UserProfileChanged, event: CloudEvent, conn: object, calls: Calls
    ) -> None:
        calls.append(("profile", user, event, conn, user.display_name))

    @handlers.on(UserDeactivated)
    async def closed(user: UserDeactivated, event: CloudEvent, conn: object, calls: Calls) -> None:
        calls.append(("closed", user, event, conn, user.reason.value))

    return handlers


async def test_each_event_goes_to_the_function_of_its_type_with_its_typed_data():
    calls: Calls = []
    bound = recording_handlers().bind(calls)
    user_id = uuid.uuid4()
    joined = envelope(registered(user_id))
    left = envelope(UserDeactivated(user_id=user_id, reason=DeactivationReason.CLOSED_BY_USER))

    await bound[joined.name](joined, CONN)
    await bound[left.name](left, CONN)

    assert calls == [
        ("profile", joined.data, joined, CONN, "Ada"),
        ("closed", left.data, left, CONN, "closed_by_user"),
    ]


async def test_one_function_handles_every_type_it_was_registered_for():
    calls: Calls = []
    bound = recording_handlers().bind(calls)
    renamed = envelope(UserProfileChanged(
        user_id=uuid.uuid4(), connect_id=generate(), display_name="Grace",
        phone_e164="+447400123457", changed_fields=(ProfileField.DISPLAY_NAME,),
    ))  # fmt: skip

    await bound["UserProfileChanged"](renamed, CONN)
    await bound["UserRegistered"](envelope(registered(uuid.uuid4())), CONN)

    assert [(name, detail) for name, _, _, _, detail in calls] == [
        ("profile", "Grace"),
        ("profile", "Ada"),
    ]


def test_a_second_function_for_a_registered_type_is_refused():
    handlers = recording_handlers()

    async def again(user: UserDeactivated, event: CloudEvent, conn: object, calls: Calls) -> None:
        pass

    with pytest.raises(DuplicateHandler, match="UserDeactivated already has a handler here"):
        handlers.on(UserDeactivated)(again)
    with pytest.raises(DuplicateHandler, match="closed"):  # names the function holding it
        handlers.on(UserDeactivated)(again)


def test_an_unregistered_type_is_left_out_of_the_inbox_mapping():
    handlers = recording_handlers()

    assert handlers.event_names() == {"UserRegistered", "UserProfileChanged", "UserDeactivated"}
    assert set(handlers.bind([])) == handlers.event_names()  # the inbox ignores the rest
    assert "CompanyCreated" not in handlers.bind([])


class Impostor(IntegrationEvent):
    """Another class under a registered name, as a second event registry could decode it."""

    name: ClassVar[str] = "UserDeactivated"
    topic: ClassVar[str] = "test.impostor"

    user_id: uuid.UUID

    def partition_key(self) -> str:
        return str(self.user_id)


async def test_data_of_another_type_is_refused_as_a_programming_error_naming_both_types():
    calls: Calls = []
    bound = recording_handlers().bind(calls)
    wrong = envelope(Impostor(user_id=uuid.uuid4()))

    with pytest.raises(WrongEventData) as refused:
        await bound[wrong.name](wrong, CONN)

    message = str(refused.value)
    assert "handles UserDeactivated" in message and "carries Impostor" in message
    assert str(wrong.id) in message
    assert calls == []  # the function never ran


async def test_one_types_handler_is_bound_alone_as_a_hook_for_another_modules_group():
    calls: Calls = []
    hook = recording_handlers().bound(UserDeactivated, calls)
    left = envelope(UserDeactivated(user_id=uuid.uuid4(), reason=DeactivationReason.CLOSED_BY_USER))

    await hook(left, CONN)

    assert [(name, detail) for name, _, _, _, detail in calls] == [("closed", "closed_by_user")]
    with pytest.raises(KeyError, match="no handler of CompanyCreated"):
        recording_handlers().bound(CompanyCreated, calls)
