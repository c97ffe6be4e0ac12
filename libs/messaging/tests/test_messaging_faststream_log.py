"""FastStream's lines through the platform's logger: its supervisor's per-task chatter is a
DEBUG line, everything else as FastStream says it."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from contacts_messaging.faststream_log import FASTSTREAM_LOGGER

pytestmark = pytest.mark.unit


class _Kept(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def kept() -> Iterator[_Kept]:
    handler, level = _Kept(), FASTSTREAM_LOGGER.level
    FASTSTREAM_LOGGER.addHandler(handler)
    try:
        yield handler
    finally:
        FASTSTREAM_LOGGER.removeHandler(handler)
        FASTSTREAM_LOGGER.setLevel(level)


def test_the_supervisors_task_callback_line_is_debug_and_the_others_are_kept(kept):
    FASTSTREAM_LOGGER.setLevel(logging.INFO)
    FASTSTREAM_LOGGER.info("callback for Task-1541 is being executed...")
    FASTSTREAM_LOGGER.info("Task-7 raised an exception, retrying...")
    FASTSTREAM_LOGGER.warning("callback for Task-2 is being executed...")  # not its level
    assert [(r.levelname, r.getMessage()) for r in kept.records] == [
        ("INFO", "Task-7 raised an exception, retrying..."),
        ("WARNING", "callback for Task-2 is being executed..."),
    ]

    kept.records.clear()
    FASTSTREAM_LOGGER.setLevel(logging.DEBUG)
    FASTSTREAM_LOGGER.info("callback for Task-3 is being executed...")
    assert [(r.levelname, r.getMessage()) for r in kept.records] == [
        ("DEBUG", "callback for Task-3 is being executed...")
    ]
