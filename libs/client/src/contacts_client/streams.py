"""Server-sent event streams described, not opened: the call that opens one and how to read
its events (``text/event-stream``, parsed by httpx-sse)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from httpx_sse import ServerSentEvent

from contacts_client.call import Call

T = TypeVar("T")


@dataclass(frozen=True)
class EventStream(Generic[T]):
    """``call`` opens the stream; ``read`` makes an event a ``T`` (``None``: skip it, as for
    keep-alive comments); the iteration ends after an event ``last`` accepts, or with the
    stream."""

    call: Call[Any]
    read: Callable[[ServerSentEvent], T | None]
    last: Callable[[T], bool] = lambda _: False
