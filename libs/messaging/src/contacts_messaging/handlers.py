"""Typed event handlers: module-level functions registered by event type.

A consumer's module makes one registry and registers its functions on it::

    additions = EventHandlers[Outbox]()

    @additions.on(ImportRowMatched)
    async def import_row_matched(
        match: ImportRowMatched, event: CloudEvent, conn: asyncpg.Connection, outbox: Outbox
    ) -> None: ...

A handler takes the event's typed data, its envelope (id, time, correlation), the connection
of the inbox's transaction, and the registry's dependencies (`Deps`: an outbox, settings, a
callback; `None` when it needs none). A test calls it directly with a model instance and
fakes. The wiring binds the dependencies once, `additions.bind(outbox)`, which gives the
inbox the mapping by event name it takes (`Subscription.handlers`), so registries and
hand-written `Handler`s coexist.

The data's type is checked once, here, when an event is dispatched: a handler never asserts.
A mismatch (an event registry that decodes a name to another class) is a programming error,
raised as `WrongEventData`; the inbox then treats it as the event's fault (retried, then
dead-lettered) as it did the handlers' asserts.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar, overload

import asyncpg
from contacts_events.base import IntegrationEvent
from contacts_events.envelope import CloudEvent

from contacts_messaging.inbox import Handler

Deps = TypeVar("Deps")
E = TypeVar("E", bound=IntegrationEvent)
E1 = TypeVar("E1", bound=IntegrationEvent)
E2 = TypeVar("E2", bound=IntegrationEvent)
E3 = TypeVar("E3", bound=IntegrationEvent)

TypedHandler = Callable[[E, CloudEvent, asyncpg.Connection, Deps], Awaitable[None]]
"""Applies one event's typed data, inside the inbox's transaction, with the dependencies."""


class DuplicateHandler(ValueError):
    """Two functions of one registry claim the same event type."""


class WrongEventData(TypeError):
    """An event reached a handler with data of a type it was not registered for."""


class EventHandlers(Generic[Deps]):
    """The handlers of one consumer group (or one part of it), by event type."""

    def __init__(self) -> None:
        self._by_name: dict[str, _Registered[Deps]] = {}

    # One call names every type a function handles (its data is then their union): mypy
    # checks the function against them, which stacked decorators could not be.
    @overload
    def on(
        self, first: type[E1], /
    ) -> Callable[[TypedHandler[E1, Deps]], TypedHandler[E1, Deps]]: ...
    @overload
    def on(
        self, first: type[E1], second: type[E2], /
    ) -> Callable[[TypedHandler[E1 | E2, Deps]], TypedHandler[E1 | E2, Deps]]: ...
    @overload
    def on(
        self, first: type[E1], second: type[E2], third: type[E3], /
    ) -> Callable[[TypedHandler[E1 | E2 | E3, Deps]], TypedHandler[E1 | E2 | E3, Deps]]: ...
    def on(self, *types: type[IntegrationEvent]) -> Callable[[Any], Any]:
        """Register the decorated function for `types`; the function is returned unchanged."""

        def register(function: TypedHandler[Any, Deps]) -> TypedHandler[Any, Deps]:
            for event_type in types:
                self._add(event_type, function, types)
            return function

        return register

    def _add(
        self,
        event_type: type[IntegrationEvent],
        function: TypedHandler[Any, Deps],
        accepted: tuple[type[IntegrationEvent], ...],
    ) -> None:
        taken = self._by_name.get(event_type.name)
        if taken is not None:
            raise DuplicateHandler(
                f"{event_type.name} already has a handler here: {taken.label}; "
                f"{_label(function)} cannot be registered for it too"
            )
        self._by_name[event_type.name] = _Registered(function, accepted)

    def event_names(self) -> frozenset[str]:
        """The names of the event types registered (the others are the inbox's to ignore)."""
        return frozenset(self._by_name)

    def bind(self, deps: Deps) -> dict[str, Handler]:
        """The inbox's mapping, event name -> handler, each given `deps` on every call."""
        return {name: _Bound(registered, deps) for name, registered in self._by_name.items()}

    def bound(self, event_type: type[IntegrationEvent], deps: Deps) -> Handler:
        """The one handler of `event_type`, given `deps`: a hook for a group that another
        module runs (the shared `<service>.accounts` group takes the closure's)."""
        registered = self._by_name.get(event_type.name)
        if registered is None:
            raise KeyError(f"no handler of {event_type.name} is registered here")
        return _Bound(registered, deps)


class _Registered(Generic[Deps]):
    def __init__(
        self, function: TypedHandler[Any, Deps], accepted: tuple[type[IntegrationEvent], ...]
    ) -> None:
        self.function = function
        self.accepted = accepted  # every type the function was registered for, in one call
        self.label = _label(function)


class _Bound(Generic[Deps]):
    """A registered function as the inbox calls it: `(event, conn)`, its data checked."""

    def __init__(self, registered: _Registered[Deps], deps: Deps) -> None:
        self.registered = registered
        self.deps = deps

    async def __call__(self, event: CloudEvent, conn: asyncpg.Connection) -> None:
        registered = self.registered
        if not isinstance(event.data, registered.accepted):
            expected = " | ".join(t.__name__ for t in registered.accepted)
            raise WrongEventData(
                f"{registered.label} handles {expected}, but event {event.id} ({event.type}) "
                f"carries {type(event.data).__name__}"
            )
        await registered.function(event.data, event, conn, self.deps)

    def __repr__(self) -> str:
        return f"<handler {self.registered.label}>"


def _label(function: Callable[..., object]) -> str:
    return f"{function.__module__}.{getattr(function, '__qualname__', repr(function))}"
