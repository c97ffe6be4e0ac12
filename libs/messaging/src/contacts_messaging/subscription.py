"""Wiring an InboxConsumer to Kafka through a FastStream subscriber.

The subscriber reads batches with `AckPolicy.NACK_ON_ERROR`: the offsets are committed
(`ack`) only after `InboxConsumer.process` returned, i.e. after the database transaction
committed; a transient failure raises, and FastStream rewinds the partitions to the batch's
first records (`nack`) so they are read again. Never FastStream's default `ACK_FIRST`
(auto-commit), which would acknowledge events before they are applied.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import structlog
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from contacts_messaging.backoff import Backoff
from contacts_messaging.inbox import InboxConsumer

log = structlog.get_logger(__name__)


def subscribe(
    broker: KafkaBroker,
    consumer: InboxConsumer,
    topics: Sequence[str],
    *,
    max_records: int = 500,
    description: str = "",
) -> Any:
    """Register a batch subscriber of `topics` for `consumer` on `broker`; return FastStream's
    subscriber (its `consumer` is the AIOKafkaConsumer once the broker has started)."""
    backoff = Backoff(initial=0.5, maximum=10.0)
    subscriber = broker.subscriber(
        *topics,
        group_id=consumer.group,
        batch=True,
        max_records=max_records,
        batch_timeout_ms=200,
        auto_offset_reset="earliest",
        ack_policy=AckPolicy.NACK_ON_ERROR,
        parser=_utf8_headers_only,
        decoder=_raw_bodies,
        title=f"{consumer.group}:{','.join(topics)}",
        description=description or f"Inbox consumer {consumer.group}",
    )

    @subscriber
    async def on_batch(bodies: list[bytes], message: KafkaMessage) -> None:
        try:
            await consumer.process(message.raw_message)
        except Exception as exc:
            delay = backoff.next_delay()
            log.warning("inbox.batch_retry", group=consumer.group, error=repr(exc), retry_in=delay)
            await asyncio.sleep(delay)
            raise
        backoff.reset()

    return subscriber


async def _utf8_headers_only(records: Any, original: Callable[[Any], Awaitable[Any]]) -> Any:
    """FastStream decodes every header as UTF-8 and would fail forever on a hostile one; drop
    such headers so that the record reaches the inbox (and, if poisonous, the dead letters)."""
    batch = records if isinstance(records, tuple) else (records,)
    cleaned = tuple(dataclasses.replace(r, headers=_decodable(r.headers)) for r in batch)
    return await original(cleaned if isinstance(records, tuple) else cleaned[0])


def _decodable(headers: Any) -> list[tuple[str, bytes]]:
    kept = []
    for name, value in headers or ():
        try:
            (value or b"").decode()
        except UnicodeDecodeError:
            continue
        kept.append((name, value or b""))
    return kept


async def _raw_bodies(message: Any) -> Any:
    """Leave decoding to the inbox, which dead-letters what it cannot read."""
    return [r.value or b"" for r in message.raw_message]
