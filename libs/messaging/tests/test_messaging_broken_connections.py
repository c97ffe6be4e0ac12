"""aiokafka issue #1038: under uvloop a write to a connection the broker closed raises
RuntimeError, which ended the consumer group's coordination for good; it is now the broken
connection aiokafka knows how to retry."""

from __future__ import annotations

import contacts_messaging.kafka  # noqa: F401 - applies the work-around, as every service does
import pytest
from aiokafka.conn import AIOKafkaConnection
from aiokafka.errors import KafkaConnectionError
from aiokafka.protocol.metadata import MetadataRequest

pytestmark = pytest.mark.unit

UVLOOP_CLOSED = (
    "unable to perform operation on <TCPTransport closed=True reading=False 0x5604>; "
    "the handler is closed"
)


class ClosedTransport:
    def __init__(self, error: BaseException) -> None:
        self.error = error

    def write(self, _data: bytes) -> None:
        raise self.error


async def connection_writing_to(transport: ClosedTransport) -> AIOKafkaConnection:
    connection = AIOKafkaConnection("127.0.0.1", 9)
    connection._writer = transport
    connection._versions = {MetadataRequest.API_KEY: (0, 0)}
    return connection


async def test_a_write_to_a_closed_uvloop_transport_is_a_broken_connection():
    connection = await connection_writing_to(ClosedTransport(RuntimeError(UVLOOP_CLOSED)))
    with pytest.raises(KafkaConnectionError, match="broken"):
        connection.send(MetadataRequest([]))
    assert not connection.connected()  # closed, so the client reconnects


async def test_other_runtime_errors_are_left_alone():
    connection = await connection_writing_to(ClosedTransport(RuntimeError("something else")))
    with pytest.raises(RuntimeError, match="something else"):
        connection.send(MetadataRequest([]))
