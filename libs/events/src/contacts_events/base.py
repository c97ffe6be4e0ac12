"""The base of every integration event: a versioned pydantic payload knowing its topic and key."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict


class IntegrationEvent(BaseModel):
    """Payload (CloudEvents `data`) of one integration event.

    Subclasses set `name`, `version` and `topic`, and say which aggregate they change in
    `partition_key()`: events of one aggregate share a key and so keep their order on Kafka.
    Unknown fields are ignored, so adding an optional field is not a breaking change; anything
    else is, and makes a new `version` with an upcaster from the old one (see registry.py).
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    name: ClassVar[str]
    version: ClassVar[int] = 1
    topic: ClassVar[str]

    def partition_key(self) -> str:
        raise NotImplementedError(f"{type(self).__name__} must define partition_key()")

    def subject(self) -> str:
        """CloudEvents `subject`: the aggregate the event is about (defaults to the key)."""
        return self.partition_key()
