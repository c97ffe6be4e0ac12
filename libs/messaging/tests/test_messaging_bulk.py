"""Bulk outbox rows: records framed against a header template come back as they went in."""

import json

import pytest
from contacts_messaging.bulk import expand, frame, template_json

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
