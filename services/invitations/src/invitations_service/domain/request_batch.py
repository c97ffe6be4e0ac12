"""Deciding a batch of invitation requests in their order: which create an invitation, which
find one already open (nothing to do), which are refused and why.

The rules and their order are those of one request at a time: a refused number first, then an
invitation already made for this request or open for the inviter and destination (never
capped), then the tenant's countries, the cool-down of the inviter's last message to the
destination (whichever invitation it was for), the inviter's daily cap and the destination's.
A request decided to create counts against both caps for the ones after it, and opens its pair.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from contacts_servicekit.domain_errors import DomainError

from invitations_service.domain.policy import (
    Policy,
    destination_cap_reached,
    inviter_cap_reached,
)

DailyKey = tuple[
    str, str
]  # (scope, subject) of a daily counter: ("inviter", id), ("destination", +33...)


def inviter_key(inviter_id: uuid.UUID) -> DailyKey:
    return ("inviter", str(inviter_id))


def destination_key(destination: str) -> DailyKey:
    return ("destination", destination)


@dataclass(frozen=True)
class Candidate:
    """One request as the batch sees it once the database has been asked."""

    inviter_id: uuid.UUID
    destination: str  # the E.164 number or the lower-case address ("" when the number is refused)
    refused: DomainError | None = None  # the number itself (premium rate, invalid, ...)
    already_invited: bool = False  # an invitation of this request, or open for the pair, exists
    country_refused: DomainError | None = None  # the inviter's tenant may not invite its country
    last_message_at: datetime | None = None  # the inviter's last message to the destination


@dataclass(frozen=True)
class Decision:
    create: bool = False
    refusal: DomainError | None = None  # neither: an invitation already exists, nothing to do


def decide(
    candidates: Sequence[Candidate],
    counts: Mapping[DailyKey, int],
    policy: Policy,
    now: datetime,
) -> list[Decision]:
    """One decision per candidate, in order; `counts` are today's counters before the batch."""
    used = dict(counts)
    opened: set[tuple[uuid.UUID, str]] = set()
    decisions = []
    for candidate in candidates:
        pair = (candidate.inviter_id, candidate.destination)
        inviter, destination = inviter_key(candidate.inviter_id), destination_key(pair[1])
        if candidate.refused is not None:
            decisions.append(Decision(refusal=candidate.refused))
        elif candidate.already_invited or pair in opened:
            decisions.append(Decision())
        elif candidate.country_refused is not None:
            decisions.append(Decision(refusal=candidate.country_refused))
        elif cooling := policy.cooldown_refusal(candidate.last_message_at, now):
            decisions.append(Decision(refusal=cooling))
        elif used.get(inviter, 0) >= policy.inviter_daily_cap:
            decisions.append(Decision(refusal=inviter_cap_reached(policy, now)))
        elif used.get(destination, 0) >= policy.destination_daily_cap:
            decisions.append(Decision(refusal=destination_cap_reached(policy, now)))
        else:
            used[inviter] = used.get(inviter, 0) + 1
            used[destination] = used.get(destination, 0) + 1
            opened.add(pair)
            decisions.append(Decision(create=True))
    return decisions
