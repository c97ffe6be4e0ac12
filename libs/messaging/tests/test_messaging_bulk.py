"""Bulk outbox rows: records framed against a header template come back as they went in."""

import json

import pytest
from contacts_messaging.bulk import ZSTD_MAGIC, expand, frame, framed_records, pack, template_json

pytestmark = pytest.mark.unit


def test_records_come_back_with_their_slots_filled_in_the_templates_order() -> None:
    template = [("a", b"1"), ("id", None), ("b", "é".encode()), ("subject", None)]
    values = [b"", b'{"x": 1}', bytes(range(256))]
    blob = b"".join(frame(v, [b"id-%d" % i, b"s" * i]) for i, v in enumerate(values))
    records = list(expand(json.loads(template_json(template)), blob))
    assert records == [
        (v, [("a", b"1"), ("id", b"id-%d" % i), ("b", "é".encode()), ("subject", b"s" * i)])
        for i, v in enumerate(values)
    ]


def test_a_truncated_row_is_refused() -> None:
    blob = frame(b"value", [b"slot"])
    with pytest.raises(Exception):  # noqa: B017, PT011 - struct.error or ValueError
        list(expand([["id", None]], blob[:-2]))


def test_packed_parts_joined_come_back_as_the_records_framed() -> None:
    """The importer's workers pack each slice of a chunk; the bulk row joins the parts."""
    template = [("id", None)]
    first = [frame(b'{"n": %d}' % i, [b"id-%d" % i]) for i in range(300)]
    second = [frame("é".encode() * i, [b""]) for i in range(5)]
    parts = [pack(b"".join(first)), pack(b"".join(second))]
    assert [p.expanded_bytes for p in parts] == [len(b"".join(first)), len(b"".join(second))]
    assert all(p.data.startswith(ZSTD_MAGIC) for p in parts)
    joined = b"".join(p.data for p in parts)
    assert framed_records(joined) == b"".join(first + second)
    records = list(expand(json.loads(template_json(template)), joined))
    assert records == [(b'{"n": %d}' % i, [("id", b"id-%d" % i)]) for i in range(300)] + [
        ("é".encode() * i, [("id", b"")]) for i in range(5)
    ]


def test_a_row_written_before_packing_is_read_as_it_is() -> None:
    """Bulk rows of the release before (records framed, not compressed) still in the outbox
    at an upgrade: the relay reads them unchanged."""
    blob = b"".join(frame(b"v%d" % i, [b"id"]) for i in range(3))
    assert not blob.startswith(ZSTD_MAGIC)
    assert framed_records(blob) is blob
    assert list(expand([["id", None]], blob)) == [(b"v%d" % i, [("id", b"id")]) for i in range(3)]


def test_a_damaged_packed_row_is_refused() -> None:
    packed = pack(b"".join(frame(b"value", [b"slot"]) for _ in range(50)))
    with pytest.raises(Exception):  # noqa: B017, PT011 - cramjam's DecompressionError
        list(expand([["id", None]], packed.data[:-3]))
