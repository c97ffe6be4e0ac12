"""Which answers change an offer: only a pending one changes, a repeat is harmless."""

from __future__ import annotations

import pytest
from directory_service.domain.membership_offer import OfferStatus, Step, step_towards

pytestmark = pytest.mark.unit

ANSWERS = (OfferStatus.ACCEPTED, OfferStatus.DECLINED, OfferStatus.WITHDRAWN)


@pytest.mark.parametrize("answer", ANSWERS)
def test_a_pending_offer_takes_any_answer(answer: OfferStatus) -> None:
    assert step_towards(OfferStatus.PENDING, answer) is Step.APPLY


@pytest.mark.parametrize("answer", ANSWERS)
def test_the_answer_that_closed_an_offer_may_be_repeated(answer: OfferStatus) -> None:
    assert step_towards(answer, answer) is Step.ALREADY_DONE


CLOSED_AND_ANOTHER_ANSWER = [
    (closed, answer)
    for closed in OfferStatus
    for answer in ANSWERS
    if closed not in (OfferStatus.PENDING, answer)
]


@pytest.mark.parametrize(("closed", "answer"), CLOSED_AND_ANOTHER_ANSWER)
def test_a_closed_offer_refuses_any_other_answer(closed: OfferStatus, answer: OfferStatus) -> None:
    assert step_towards(closed, answer) is Step.CLOSED
