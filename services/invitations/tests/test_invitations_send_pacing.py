"""The pacer holds the provider's rate however many sends book at once."""

from __future__ import annotations

import itertools

import pytest
from invitations_service.handlers.sending.pacing import SendPacer

pytestmark = pytest.mark.unit


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_sends_booked_together_start_one_interval_apart() -> None:
    clock = Clock()
    pacer = SendPacer(per_second=10, clock=clock)
    starts = [pacer.book() for _ in range(25)]
    assert starts[0] == 100.0
    assert [round(b - a, 9) for a, b in itertools.pairwise(starts)] == [0.1] * 24
    for first in starts:  # any window of one second holds at most rate + 1 starts
        assert sum(first <= s < first + 1 for s in starts) <= 11


def test_an_idle_pacer_starts_at_once_and_does_not_save_up_a_burst() -> None:
    clock = Clock()
    pacer = SendPacer(per_second=2, clock=clock)
    pacer.book()
    clock.now += 60  # idle a minute
    assert pacer.backlog() == 0
    assert [pacer.book() for _ in range(3)] == [160.0, 160.5, 161.0]


def test_bookable_within_says_how_many_could_start_in_time() -> None:
    clock = Clock()
    pacer = SendPacer(per_second=10, clock=clock)
    assert pacer.bookable_within(1.0) == 11
    for _ in range(15):
        pacer.book()
    assert pacer.backlog() == pytest.approx(1.5)
    assert pacer.bookable_within(1.0) == 0
    clock.now += 0.6
    assert pacer.bookable_within(1.0) == 2  # at 100.9... and 101.0... (within 1 s of 100.6)
