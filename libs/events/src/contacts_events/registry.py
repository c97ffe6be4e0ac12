"""Which event classes exist, at which version, and how older versions are read (upcasters).

Producers always write the latest version of an event. Consumers read any version ever
published: a version older than the latest is lifted one step at a time by the chained
upcasters (`vN dict -> vN+1 dict`) and then validated by the latest model.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from contacts_events.base import IntegrationEvent

E = TypeVar("E", bound=type[IntegrationEvent])
Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


class UnknownEventError(ValueError):
    """The event's name or version is not one this code can read."""


class EventRegistry:
    def __init__(self) -> None:
        self._latest: dict[str, type[IntegrationEvent]] = {}
        self._upcasters: dict[tuple[str, int], Upcaster] = {}

    def register(self, cls: E) -> E:
        """Class decorator: `cls` is the latest version of its event."""
        current = self._latest.get(cls.name)
        if current is not None and current is not cls:
            raise ValueError(
                f"event {cls.name} registered twice ({current.__name__}, {cls.__name__})"
            )
        self._latest[cls.name] = cls
        return cls

    def upcaster(self, name: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
        """Function decorator: lifts the payload of `name` from `from_version` to the next one."""

        def decorate(fn: Upcaster) -> Upcaster:
            self._upcasters[(name, from_version)] = fn
            return fn

        return decorate

    def latest(self, name: str) -> type[IntegrationEvent]:
        try:
            return self._latest[name]
        except KeyError:
            raise UnknownEventError(f"unknown event type {name!r}") from None

    def events(self) -> list[type[IntegrationEvent]]:
        return sorted(self._latest.values(), key=lambda cls: (cls.topic, cls.name))

    def load(self, name: str, version: int, data: dict[str, Any]) -> IntegrationEvent:
        """Validate `data` published as `name` v`version`, upcasting it to the latest version."""
        cls = self.latest(name)
        if version > cls.version or version < 1:
            raise UnknownEventError(
                f"{name} v{version} is not readable (latest known: v{cls.version})"
            )
        for step in range(version, cls.version):
            upcast = self._upcasters.get((name, step))
            if upcast is None:
                raise UnknownEventError(f"no upcaster for {name} v{step} -> v{step + 1}")
            try:
                data = upcast(data)
            except (KeyError, TypeError, ValueError) as exc:
                # A payload the upcaster cannot lift is unreadable data, not a crash.
                raise UnknownEventError(
                    f"cannot upcast {name} v{step} -> v{step + 1}: {type(exc).__name__}: {exc}"
                ) from exc
        return cls.model_validate(data)


registry = EventRegistry()
"""The platform's event catalogue; every module in `contacts_events.catalog` registers here."""
