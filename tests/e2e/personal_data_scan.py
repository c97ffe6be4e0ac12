"""Where a person's phone number or email can still be read after their account closed: every
text, bytea, json and array column of every table of the services' schemas (an outbox's bulk
rows once decompressed: libs/messaging bulk.py), and every record of a topic read from its
beginning by a fresh consumer."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping

import asyncpg
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.partitioner import murmur2
from contacts_messaging.bulk import expand

SEARCHED_TYPES = ("text", "character varying", "bytea", "jsonb", "json", "ARRAY")

_COLUMNS = """
SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns
WHERE table_schema = ANY($1::text[]) AND data_type = ANY($2::text[])
  AND (table_schema, table_name) IN (SELECT table_schema, table_name FROM information_schema.tables
                                     WHERE table_type = 'BASE TABLE')
"""


async def tables_holding(pool: asyncpg.Pool, schemas: list[str], values: list[str]) -> list[str]:
    """`schema.table.column` of every column where one of `values` appears in some row."""
    found = []
    for col in await pool.fetch(_COLUMNS, schemas, list(SEARCHED_TYPES)):
        name = f'"{col["table_schema"]}"."{col["table_name"]}"'
        column = f'"{col["column_name"]}"'
        if col["data_type"] == "bytea":  # compared as bytes: its text form is hex
            test = f"position(convert_to(v, 'UTF8') in {column}) > 0"
        else:
            test = f"strpos({column}::text, v) > 0"
        query = f"SELECT EXISTS (SELECT FROM {name}, unnest($1::text[]) AS v WHERE {test})"
        if await pool.fetchval(query, values):
            found.append(f"{col['table_schema']}.{col['table_name']}.{col['column_name']}")
    for schema in schemas:
        if await _bulk_rows_holding(pool, schema, values, "position"):
            found.append(f"{schema}.outbox.value (a bulk row, decompressed)")
    return found


_DETAILS = "headers, created_at, sent_at, attempts, last_error, forget_when_sent"


async def outbox_rows_holding(
    pool: asyncpg.Pool, schemas: list[str], values: list[str]
) -> list[str]:
    """What a failure needs to say of each outbox row still holding one of `values`: its event
    type, when it was written and sent, its attempts, last error and erasure flag."""
    rows = []
    for schema in schemas:
        query = (
            f'SELECT {_DETAILS} FROM "{schema}".outbox, unnest($1::text[]) AS v'
            f" WHERE position(convert_to(v, 'UTF8') in value) > 0"
        )
        for row in await pool.fetch(query, values):
            rows.append(f"{schema}: {dict(row)}")
        for row in await _bulk_rows_holding(pool, schema, values, _DETAILS):
            rows.append(f"{schema} (a bulk row, decompressed): {row}")
    return rows


async def _bulk_rows_holding(
    pool: asyncpg.Pool, schema: str, values: list[str], columns: str
) -> list[dict[str, object]]:
    """`columns` of each outbox bulk row whose records hold one of `values`: stored
    compressed, their bytes hide the text from the SQL searches above."""
    needles = [value.encode() for value in values]
    rows = await pool.fetch(
        f'SELECT {columns}, headers::text, value FROM "{schema}".outbox WHERE bulk'
    )
    return [
        {name: value for name, value in row.items() if name not in ("headers", "value")}
        for row in rows
        if any(needle in _readable(row["headers"], row["value"]) for needle in needles)
    ]


def _readable(headers: str, value: bytes) -> bytes:
    """A bulk row's records (values and headers) as plain bytes, decompressed."""
    return b"\n".join(
        b"\n".join([record, *(text for _, text in record_headers)])
        for record, record_headers in expand(json.loads(headers), value)
    )


async def records_holding(bootstrap: str, topics: list[str], values: list[str]) -> list[str]:
    """`topic@offset` of every record (value, key or header) that holds one of `values`, read
    from the beginning of each topic by a consumer of no group."""
    needles = [value.encode() for value in values]
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        partitions = [
            TopicPartition(topic, p)
            for topic in topics
            for p in sorted(
                consumer.partitions_for_topic(topic) or await _partitions(consumer, topic)
            )
        ]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        found = []
        while [tp for tp in partitions if await consumer.position(tp) < ends[tp]]:
            for tp, records in (await consumer.getmany(timeout_ms=500)).items():
                for record in records:
                    raw = b"".join([record.value or b"", record.key or b""] +
                                   [v for _, v in record.headers])  # fmt: skip
                    if any(needle in raw for needle in needles):
                        found.append(f"{tp.topic}/{tp.partition}@{record.offset}")
        return found
    finally:
        await consumer.stop()


async def _partitions(consumer: AIOKafkaConsumer, topic: str) -> set[int]:
    await consumer._client.force_metadata_update()
    return consumer.partitions_for_topic(topic) or set()


def partition_of(key: uuid.UUID | str, partitions: int) -> int:
    """The partition the producers' default partitioner gives `key` (murmur2, as Java's)."""
    return (murmur2(str(key).encode()) & 0x7FFFFFFF) % partitions


async def hurry_the_cleaner(bootstrap: str, topic: str, configs: Mapping[str, str]) -> None:
    """Give `topic` the platform's `configs` (its clean-up policy) with timings that let the log
    cleaner act within seconds: segments roll after 100 ms and are cleanable at once (the
    test's stand-in for the production `max.compaction.lag.ms`). The whole set is written, as
    Kafka's AlterConfigs replaces a topic's settings."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        fast = {"segment.ms": "100", "max.compaction.lag.ms": "100",
                "min.compaction.lag.ms": "0", "min.cleanable.dirty.ratio": "0.01"}  # fmt: skip
        resource = ConfigResource(ConfigResourceType.TOPIC, topic, {**configs, **fast})
        await admin.alter_configs([resource])
    finally:
        await admin.close()
