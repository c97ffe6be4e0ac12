"""How long a service keeps its inbox rows and idempotency keys (docs/data-retention.md).

Both tables only ever grow by one row per event consumed or per keyed request, so each keeps
rows for a retention period and a purge (`contacts_messaging.retention`) removes the older
ones. A retention below its floor would break a promise, so it is refused at start-up:

- the inbox must remember an event for as long as a duplicate of it can still arrive: a
  redelivery after a consumer's offsets were lost (Kafka keeps an idle group's offsets 7 days,
  `offsets.retention.minutes`, and the group then re-reads from the earliest record the topic
  still holds, 7 days by default) or a replay from a dead-letter topic (7 days);
- an idempotency key must outlive the window in which the API promises that a retry gets the
  first answer (24 hours, README.md's API conventions).
"""

from __future__ import annotations

from pydantic import Field, ValidationInfo, field_validator

from contacts_servicekit.environment_settings import EnvironmentSettings

INBOX_RETENTION_FLOOR_HOURS = 7 * 24
"""Kafka's defaults for topic retention, idle consumer offsets and the dead-letter topics."""
IDEMPOTENCY_REPLAY_WINDOW_HOURS = 24
"""The API's promise: a retry within 24 hours of the first call gets its answer again."""


class RetentionSettings(EnvironmentSettings):
    """`INBOX_RETENTION_HOURS` and `IDEMPOTENCY_RETENTION_HOURS` (a mixin of ServiceSettings)."""

    inbox_retention_hours: float = Field(
        default=14 * 24,
        description="INBOX_RETENTION_HOURS: how long an applied event's id is kept to recognise "
        f"its duplicates (at least {INBOX_RETENTION_FLOOR_HOURS})",
    )
    idempotency_retention_hours: float = Field(
        default=48,
        description="IDEMPOTENCY_RETENTION_HOURS: how long an Idempotency-Key and its answer "
        f"are kept (at least {IDEMPOTENCY_REPLAY_WINDOW_HOURS}, the promised replay window)",
    )
    retention_purge_minutes: float = Field(
        default=10,
        gt=0,
        description="RETENTION_PURGE_MINUTES: how often the inbox and idempotency purge runs",
    )

    @field_validator("inbox_retention_hours", "idempotency_retention_hours")
    @classmethod
    def _check_floor(cls, hours: float, info: ValidationInfo) -> float:
        floor, why = _FLOORS[str(info.field_name)]
        if hours < floor:
            raise ValueError(f"must be at least {floor} hours: {why}")
        return hours


_FLOORS = {
    "inbox_retention_hours": (
        INBOX_RETENTION_FLOOR_HOURS,
        "a duplicate of an event can arrive that long after it was applied (Kafka's 7-day "
        "topic retention, consumer offsets retention and dead-letter replays); a shorter inbox "
        "would apply it twice",
    ),
    "idempotency_retention_hours": (
        IDEMPOTENCY_REPLAY_WINDOW_HOURS,
        f"the API promises that a retry within {IDEMPOTENCY_REPLAY_WINDOW_HOURS} hours with the "
        "same Idempotency-Key gets the first answer",
    ),
}
