"""A work-around for aiokafka issue #1038 (open as of aiokafka 0.14.0): under uvloop (the
services' event loop, through uvicorn), writing to a connection the broker has just closed
raises ``RuntimeError("unable to perform operation on <TCPTransport closed=True ...>; the
handler is closed")``, where the standard event loop raises ``OSError`` or nothing. aiokafka
treats only ``OSError`` as a broken connection: the ``RuntimeError`` escapes into the consumer
group's coordination task and ends it for good, so after a broker restart the consumer
re-raises it on every poll and never consumes again (seen in the broker-restart fault test).

:func:`treat_closed_transports_as_broken_connections` makes that ``RuntimeError`` what it is:
the connection is closed as broken and ``KafkaConnectionError`` raised, which aiokafka retries
(it reconnects). Applied when this package's Kafka module is imported; applying it twice
changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiokafka import conn
from aiokafka.errors import KafkaConnectionError

_CLOSED_TRANSPORT = "handler is closed"
_PATCHED = "_contacts_broken_connections"


def treat_closed_transports_as_broken_connections() -> None:
    connection = conn.AIOKafkaConnection
    if getattr(connection.send, _PATCHED, False):
        return
    original: Callable[..., Any] = connection.send

    def send(self: conn.AIOKafkaConnection, request: Any, expect_response: bool = True) -> Any:
        try:
            return original(self, request, expect_response)
        except RuntimeError as error:
            if _CLOSED_TRANSPORT not in str(error):
                raise
            self.close(reason=conn.CloseReason.CONNECTION_BROKEN)
            raise KafkaConnectionError(
                f"Connection at {self.host}:{self.port} broken: {error}"
            ) from error

    setattr(send, _PATCHED, True)
    connection.send = send
