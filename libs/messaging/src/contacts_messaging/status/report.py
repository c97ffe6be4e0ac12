"""What the status command found, as plain data (the table and the JSON are made from it)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class ServiceState:
    name: str
    url: str
    up: bool  # GET /health answered 200
    ready: bool  # GET /ready answered 200: the instance takes requests (perhaps degraded)
    checks: dict[str, str] = field(default_factory=dict)  # /ready's checks, or the error

    @property
    def all_ok(self) -> bool:
        """Ready and every check `ok` (not `degraded`: Kafka lost, writes in the outbox)."""
        return self.ready and all(value == "ok" for value in self.checks.values())


@dataclass(frozen=True)
class OutboxState:
    schema: str
    backlog: int | None  # None: could not be read (see error)
    oldest_age_seconds: float | None
    error: str | None = None


@dataclass(frozen=True)
class PartitionLag:
    topic: str
    partition: int
    committed: int | None  # None: the group never committed on this partition
    end: int
    lag: int


@dataclass(frozen=True)
class GroupLag:
    group: str
    lag: int
    partitions: list[PartitionLag]

    @property
    def topics(self) -> list[str]:
        return sorted({p.topic for p in self.partitions})


@dataclass(frozen=True)
class DeadLetterState:
    topic: str
    group: str
    messages: int  # records on the dead-letter topic now
    not_replayed: int  # of which after the replay group's committed offsets


@dataclass
class PlatformStatus:
    services: list[ServiceState] = field(default_factory=list)
    outboxes: list[OutboxState] = field(default_factory=list)
    consumer_groups: list[GroupLag] = field(default_factory=list)
    dead_letters: list[DeadLetterState] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)  # a part that could not be read

    @property
    def healthy(self) -> bool:
        """Every service up and ready with every check `ok`, and every part read."""
        return all(s.up and s.all_ok for s in self.services) and not self.errors

    def as_dict(self) -> dict[str, Any]:
        groups = [{**asdict(g), "topics": g.topics} for g in self.consumer_groups]
        return {
            "healthy": self.healthy,
            "services": [asdict(s) for s in self.services],
            "outboxes": [asdict(o) for o in self.outboxes],
            "consumer_groups": groups,
            "dead_letters": [asdict(d) for d in self.dead_letters],
            "errors": self.errors,
        }
