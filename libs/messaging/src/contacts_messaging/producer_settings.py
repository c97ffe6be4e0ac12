"""How the platform's producers pack records: compression and batch size (``KAFKA_PRODUCER_*``).

The relay sends record batches per partition (relay.py), and an import's chunk is 10,000
`ImportRowValidated` records of about 0.9 KB, all to one partition. The broker's CPU per event
is mostly per byte and per batch (append, CRC, page cache): zstd batches carry a fourteenth
of the bytes (13.2 -> 4.2 µs of broker CPU per event), for 0.2 µs more in the relay (aiokafka
compresses lz4 at level 9, 2.2 µs more), and a larger batch means fewer produce requests.
Every consumer of the platform reads compressed batches (aiokafka's codecs come with this
library, through cramjam).
Figures: bench/IMPORTER.md, "issue 18: the rest of the row".
"""

from __future__ import annotations

from typing import Literal

from contacts_servicekit.environment_settings import EnvironmentSettings
from pydantic import Field

Compression = Literal["none", "lz4", "zstd", "gzip", "snappy"]


class ProducerSettings(EnvironmentSettings):
    """The producer's packing, the same for every service (read by `make_producer`)."""

    kafka_producer_compression: Compression = Field(
        default="zstd",
        description="KAFKA_PRODUCER_COMPRESSION: codec of the record batches (none: raw)",
    )
    kafka_producer_batch_bytes: int = Field(
        default=1024 * 1024,
        ge=16 * 1024,
        le=8 * 1024 * 1024,
        description="KAFKA_PRODUCER_BATCH_BYTES: most bytes of one record batch (the broker "
        "refuses batches over its message.max.bytes, 1 MB by default)",
    )

    @property
    def compression_type(self) -> str | None:
        """aiokafka's `compression_type`."""
        return (
            None if self.kafka_producer_compression == "none" else self.kafka_producer_compression
        )
