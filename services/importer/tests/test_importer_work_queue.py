"""How an import's rows are cut into work items and spread over the work topic's partitions."""

import uuid

import pytest
from aiokafka.partitioner import DefaultPartitioner
from contacts_events.topics import TopicFamily, family_of
from importer_service.adapters.work_queue import (
    EXPRESS_LANE,
    EXPRESS_TOPIC,
    MAIN_LANE,
    SMALLEST_CHUNK_ROWS,
    WORK_TOPIC,
    Chunking,
    EmitChunk,
    ExpressEmitChunk,
    ExpressExtractRows,
    ExpressParseChunk,
    ExtractRows,
    ParseChunk,
    chunk_rows,
    chunks,
    spread_keys,
)

pytestmark = pytest.mark.unit

PARTITIONS = 8


def _cut(size: int, partitions: int = PARTITIONS) -> Chunking:
    return Chunking(rows=size, partitions=partitions)


def _chunks(first: int, last: int, chunking: Chunking) -> list[tuple[int, int]]:
    return chunks(first, last, chunk_rows(last - first + 1, chunking))


def test_chunks_cover_every_row_once() -> None:
    for first, last, size in [(2, 1_048_577, 10_000), (2, 100_001, 10_000), (1, 20, 7), (5, 5, 3)]:
        ranges = _chunks(first, last, _cut(size))
        covered = [n for a, b in ranges for n in range(a, b + 1)]
        assert covered == list(range(first, last + 1))


def test_a_mid_sized_import_gets_two_chunks_per_partition_but_never_small_ones() -> None:
    assert len(_chunks(2, 200_001, _cut(20_000))) == 2 * PARTITIONS  # 12,500 rows each
    assert len(_chunks(2, 1_048_577, _cut(10_000))) == 105  # large: the configured size
    assert {b - a + 1 for a, b in _chunks(1, 20_000, _cut(10_000))} == {SMALLEST_CHUNK_ROWS}
    assert _chunks(1, 20, _cut(7)) == [(1, 7), (8, 14), (15, 20)]  # a smaller setting still wins


def test_more_work_partitions_make_more_chunks_down_to_the_smallest() -> None:
    assert len(_chunks(2, 480_001, _cut(20_000, partitions=24))) == 48
    assert len(_chunks(2, 480_001, _cut(20_000, partitions=8))) == 24
    # 24 partitions would cut a 100,000-row list into 48 chunks of 2,084 rows: 10 of 10,000
    assert len(_chunks(2, 100_001, _cut(20_000, partitions=24))) == 10


def test_an_imports_chunks_take_the_partitions_in_turn() -> None:
    partitioner = DefaultPartitioner()
    partitions = list(range(PARTITIONS))
    keys = spread_keys(uuid.uuid4(), 21, PARTITIONS)
    chosen = [partitioner(k.encode(), partitions, partitions) for k in keys]
    assert chosen == [i % PARTITIONS for i in range(21)]
    assert spread_keys(uuid.uuid4(), 3, PARTITIONS) != spread_keys(
        uuid.uuid4(), 3, PARTITIONS
    )  # per import


def test_keys_spread_over_the_configured_partitions() -> None:
    partitioner = DefaultPartitioner()
    partitions = list(range(24))
    keys = spread_keys(uuid.uuid4(), 48, 24)
    chosen = [partitioner(k.encode(), partitions, partitions) for k in keys]
    assert chosen == [i % 24 for i in range(48)]


def test_small_imports_take_the_express_lane() -> None:
    chunking = Chunking(rows=10_000, partitions=PARTITIONS, window=PARTITIONS, express_rows=1000)
    assert chunking.lane(3) == chunking.lane(1000) == EXPRESS_LANE
    assert chunking.lane(1001) == MAIN_LANE
    assert {ExpressExtractRows.topic, ExpressParseChunk.topic, ExpressEmitChunk.topic} == {
        EXPRESS_TOPIC
    }
    assert {ExtractRows.topic, ParseChunk.topic, EmitChunk.topic} == {WORK_TOPIC}
    for express, main in zip(vars(EXPRESS_LANE).values(), vars(MAIN_LANE).values(), strict=True):
        assert express.name == main.name  # the same step, read by another group


def test_the_express_topic_is_made_like_the_work_topic() -> None:
    assert family_of(EXPRESS_TOPIC) is family_of(WORK_TOPIC) is TopicFamily.WORK
