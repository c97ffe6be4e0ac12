"""A batch of requests is decided in order, with the rules of one request at a time."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from contacts_servicekit.domain_errors import Refused
from invitations_service.domain.policy import LimitReached, Policy
from invitations_service.domain.request_batch import Candidate, Decision, decide

pytestmark = pytest.mark.unit

NOW = datetime(2026, 11, 26, 22, 0, tzinfo=UTC)
A, B = uuid.uuid4(), uuid.uuid4()


def codes(decisions: list[Decision]) -> list[str]:
    def code(d: Decision) -> str:
        if d.create:
            return "create"
        if d.refusal is None:
            return "exists"
        return d.refusal.limit if isinstance(d.refusal, LimitReached) else d.refusal.code

    return [code(d) for d in decisions]


def test_caps_count_the_requests_created_before_in_the_batch() -> None:
    policy = Policy(inviter_daily_cap=3, destination_daily_cap=2)
    batch = [Candidate(A, "+33600000001"), Candidate(B, "+33600000001"),
             Candidate(B, "+33600000002"), Candidate(A, "+33600000003"),
             Candidate(A, "+33600000004"), Candidate(B, "+33600000004")]  # fmt: skip
    counts = {("inviter", str(A)): 1, ("destination", "+33600000004"): 1}
    assert codes(decide(batch, counts, policy, NOW)) == [
        "create", "create", "create", "create", "inviter_daily_cap", "create",
    ]  # fmt: skip
    third = decide([*batch, Candidate(uuid.uuid4(), "+33600000001")], counts, policy, NOW)[-1]
    assert isinstance(third.refusal, LimitReached)
    assert third.refusal.limit == "destination_daily_cap"
    assert third.refusal.retry_after == 2 * 3600  # until midnight UTC


def test_a_pair_already_open_or_opened_earlier_in_the_batch_is_never_capped() -> None:
    policy = Policy(inviter_daily_cap=1)
    batch = [Candidate(A, "+33600000001"), Candidate(A, "+33600000001"),
             Candidate(A, "+33600000002", already_invited=True),
             Candidate(A, "+33600000003")]  # fmt: skip
    assert codes(decide(batch, {}, policy, NOW)) == [
        "create", "exists", "exists", "inviter_daily_cap",
    ]  # fmt: skip


def test_the_number_is_judged_first_and_the_country_after_an_open_invitation() -> None:
    premium = Refused("premium_rate", "Premium-rate numbers are never invited.", "phone")
    abroad = Refused("country_not_allowed", "Not there.", "phone")
    batch = [Candidate(A, "", refused=premium),
             Candidate(A, "+4915100000001", already_invited=True, country_refused=abroad),
             Candidate(A, "+4915100000002", country_refused=abroad)]  # fmt: skip
    decisions = decide(batch, {}, Policy(inviter_daily_cap=1), NOW)
    assert codes(decisions) == ["premium_rate", "exists", "country_not_allowed"]
    assert decisions[2].refusal is abroad


def test_a_refused_request_takes_nothing_from_the_caps() -> None:
    abroad = Refused("country_not_allowed", "Not there.", "phone")
    batch = [Candidate(A, "+4915100000001", country_refused=abroad), Candidate(A, "+33600000001")]
    assert codes(decide(batch, {}, Policy(inviter_daily_cap=1), NOW)) == [
        "country_not_allowed", "create",
    ]  # fmt: skip


def test_a_destination_messaged_inside_the_cool_down_is_refused_before_the_caps() -> None:
    policy = Policy(resend_cooldown=timedelta(minutes=10), inviter_daily_cap=0)
    batch = [Candidate(A, "+33600000001", last_message_at=NOW - timedelta(minutes=4)),
             Candidate(A, "+33600000002", last_message_at=NOW - timedelta(minutes=10))]  # fmt: skip
    decisions = decide(batch, {}, policy, NOW)
    assert codes(decisions) == ["resend_cooldown", "inviter_daily_cap"]  # the second has waited
    assert isinstance(decisions[0].refusal, LimitReached)
    assert decisions[0].refusal.retry_after == 6 * 60
