"""The `<service>.accounts` group's handler alone, with a fake connection and fake hooks: the
closure is recorded first, then each service hook runs with the same event and connection, in
order; a failing hook fails the whole event (the inbox then rolls the record back too)."""

from __future__ import annotations

import uuid

import asyncpg
import pytest
from contacts_events import DeactivationReason, UserDeactivated
from contacts_events.envelope import CloudEvent, EventContext
from contacts_messaging.accounts.consumer import closed_accounts_subscription, record_closure

pytestmark = pytest.mark.unit


class FakeConnection:
    """Notes every statement in `log` (shared with the hooks) and answers `fetchval` with True."""

    def __init__(self, log: list[object]) -> None:
        self.log = log

    async def fetchval(self, query: str, *args: object) -> bool:
        self.log.append((query, args))
        return True


def hook(name: str, log: list[object], fails: bool = False):
    async def run(event: CloudEvent, conn: asyncpg.Connection) -> None:
        log.append((name, event, conn))
        if fails:
            raise RuntimeError(f"{name} failed")

    return run


def closure() -> tuple[UserDeactivated, CloudEvent]:
    closed = UserDeactivated(user_id=uuid.uuid4(), reason=DeactivationReason.CLOSED_BY_ADMIN)
    return closed, CloudEvent.wrap(closed, source="/tests", context=EventContext())


async def test_the_closure_is_recorded_then_every_hook_runs_in_order():
    log: list[object] = []
    conn = FakeConnection(log)
    closed, event = closure()

    await record_closure(closed, event, conn, [hook("first", log), hook("second", log)])

    assert log == [
        ("SELECT close_account($1, $2)", (closed.user_id, "closed_by_admin")),
        ("first", event, conn),
        ("second", event, conn),
    ]


async def test_a_failing_hook_fails_the_event():
    log: list[object] = []
    closed, event = closure()

    with pytest.raises(RuntimeError, match="first failed"):
        await record_closure(closed, event, FakeConnection(log),
                             [hook("first", log, fails=True), hook("second", log)])  # fmt: skip

    assert [entry[0] for entry in log][1:] == ["first"]  # the second never ran


async def test_the_subscription_dispatches_the_closure_to_the_hooks_it_was_given():
    log: list[object] = []
    conn = FakeConnection(log)
    subscription = closed_accounts_subscription("svc", hook("only", log))
    _, event = closure()

    assert subscription.group == "svc.accounts"
    await subscription.handlers["UserDeactivated"](event, conn)

    assert log[1:] == [("only", event, conn)]
