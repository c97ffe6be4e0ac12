"""Consumer lag as this process's Kafka consumers see it, per assigned partition.

The lag of a partition is its high watermark (the offset the next record produced will get,
learnt from every fetch response) minus the consumer's position (the offset of the next record
it will read). Partitions not fetched from yet have no known high watermark and are left out.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PartitionLag:
    group: str
    topic: str
    partition: int
    lag: int


async def partition_lags(
    consumers: Sequence[tuple[str, Any]], *, position_wait: float = 0.5
) -> list[PartitionLag]:
    """The lag of every partition assigned to each started `(group, AIOKafkaConsumer)`."""
    lags = []
    for group, consumer in consumers:
        if consumer is None:
            continue
        for tp in sorted(consumer.assignment()):
            try:
                highwater = consumer.highwater(tp)
                if highwater is None:
                    continue
                position = await asyncio.wait_for(consumer.position(tp), position_wait)
            except Exception:  # noqa: S112 - revoked meanwhile, or no position yet: skip it
                continue
            lags.append(PartitionLag(group, tp.topic, tp.partition, max(highwater - position, 0)))
    return lags
