"""What the invitations drain bench samples, and how it prints one drain."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sample:
    seconds: float  # since the first request was published
    published: int  # requests on Kafka
    handled: int  # requests the service consumed
    staged: int  # consumed requests waiting for the request processor
    invitations: int  # requests turned into invitations
    queued: int  # deliveries waiting or being sent
    sent: int  # deliveries the provider accepted
    outbox: int  # events not yet on Kafka
    rss_kb: int  # the service process's resident memory
    cpu_seconds: float  # the service process's CPU since the first sample

    @property
    def lag(self) -> int:
        return self.published - self.handled


@dataclass(frozen=True)
class StackCpu:
    """CPU seconds so far of each part of the drain, and of the whole machine."""

    service: float
    postgres: float
    kafka: float
    bench: float  # this process: the SMS stand-in's server thread, the sampling, the publisher
    machine: float  # every core busy, other work on the machine included
    wall: float

    def __sub__(self, other: StackCpu) -> StackCpu:
        return StackCpu(*(a - b for a, b in zip(self.parts(), other.parts(), strict=True)))

    def parts(self) -> tuple[float, ...]:
        return self.service, self.postgres, self.kafka, self.bench, self.machine, self.wall


@dataclass(frozen=True)
class Drain:
    name: str
    count: int
    samples: list[Sample]
    statuses: dict[str, int]
    provider_requests: int
    provider_delivered: int
    distinct_numbers: int
    cpu: StackCpu  # from the first sample to the last

    @property
    def ok(self) -> bool:
        return (self.provider_delivered, self.distinct_numbers, self.statuses) == (
            self.count, self.count, {"sent": self.count}
        )  # fmt: skip

    def first(self, reached: int, field: str) -> Sample:
        """The first sample where `field` reached `reached` (the last one if none did)."""
        return next((s for s in self.samples if getattr(s, field) >= reached), self.samples[-1])


def _rate(a: Sample, b: Sample) -> float:
    return (b.sent - a.sent) / (b.seconds - a.seconds) if b.seconds > a.seconds else 0.0


def print_drain(drain: Drain, limit: float | None) -> None:
    n, samples = drain.count, drain.samples
    published, created, sent = (drain.first(n, f) for f in ("published", "invitations", "sent"))
    p10, p90 = drain.first(n // 10, "sent"), drain.first(n * 9 // 10, "sent")
    print(f"\n=== {drain.name}: {n:,} invitations, provider rate "
          f"{f'{limit:g}/s' if limit else 'unlimited'} ===")  # fmt: skip
    print(f"published on Kafka by {published.seconds:7.1f} s")
    print(f"all invitations created by {created.seconds:7.1f} s "
          f"({n / max(created.seconds, 1e-9):,.0f} requests/s)")  # fmt: skip
    print(f"all sent by {sent.seconds:7.1f} s: {n / max(sent.seconds, 1e-9):,.1f} invitations/s "
          f"end to end; {_rate(p10, p90):,.1f}/s from 10 % to 90 % sent")  # fmt: skip
    print(f"deepest queues: lag {max(s.lag for s in samples):,} requests, "
          f"{max(s.staged for s in samples):,} requests queued, "
          f"{max(s.queued for s in samples):,} deliveries, {max(s.outbox for s in samples):,} outbox rows")  # fmt: skip
    print(f"service CPU: {samples[-1].cpu_seconds:.1f} s, "
          f"{1000 * samples[-1].cpu_seconds / n:.2f} ms per invitation; "
          f"{created.cpu_seconds:.1f} s by all created ({created.sent:,} sent by then)")  # fmt: skip
    _print_cpu(drain)
    _print_memory(drain)
    print(f"provider: {drain.provider_requests:,} requests, {drain.provider_delivered:,} messages "
          f"delivered, {drain.distinct_numbers:,} numbers; invitations {drain.statuses}; "
          f"{'OK' if drain.ok else 'FAILED: not every invitation sent exactly once'}")  # fmt: skip
    print("\n     t s  published  lag (req)  queued req.  invitations  queued deliv.     sent  outbox"
          "   RSS MB")  # fmt: skip
    step = max(1, len(samples) // 30)
    for s in samples[::step] + ([samples[-1]] if (len(samples) - 1) % step else []):
        print(f"{s.seconds:8.1f} {s.published:10,} {s.lag:10,} {s.staged:12,} {s.invitations:12,} "
              f"{s.queued:14,} {s.sent:8,} {s.outbox:7,} {s.rss_kb / 1024:8.1f}")  # fmt: skip


def print_created(drain: Drain) -> None:
    """How long creating the invitations took, and the service's CPU by then."""
    n, last = drain.count, drain.samples[-1]
    print(f"\n=== {drain.name}: {n:,} invitations created (not waiting for the sends) ===")
    print(f"all invitations created by {last.seconds:7.1f} s ({n / max(last.seconds, 1e-9):,.0f} "
          f"requests/s); {last.sent:,} sent meanwhile")  # fmt: skip
    print(f"service CPU by then: {last.cpu_seconds:.1f} s, "
          f"{1000 * last.cpu_seconds / n:.2f} ms per invitation created")  # fmt: skip


def _print_cpu(drain: Drain) -> None:
    """CPU ms per invitation of each part, and how busy the machine's cores were meanwhile."""
    cpu, per = drain.cpu, 1000 / drain.count
    parts = cpu.service + cpu.postgres + cpu.kafka + cpu.bench
    print(f"CPU ms per invitation: service {cpu.service * per:.2f}, Postgres {cpu.postgres * per:.2f}, "
          f"Kafka {cpu.kafka * per:.2f}, bench + SMS stand-in {cpu.bench * per:.2f}; together "
          f"{parts * per:.2f}; machine busy {cpu.machine / cpu.wall:.2f} cores of which "
          f"{(cpu.machine - parts) / cpu.wall:.2f} other work")  # fmt: skip


def _print_memory(drain: Drain) -> None:
    """RSS at each quarter of the sends, and its growth over the last three quarters."""
    n = drain.count
    quarters = [drain.first(n * q // 4, "sent") for q in (1, 2, 3, 4)]
    peak = max(s.rss_kb for s in drain.samples)
    shown = ", ".join(f"{q * 25} %: {s.rss_kb / 1024:.1f}" for q, s in enumerate(quarters, 1))
    growth = (quarters[-1].rss_kb - quarters[0].rss_kb) / 1024
    print(f"service RSS MB at start {drain.samples[0].rss_kb / 1024:.1f}; at sent {shown}; "
          f"peak {peak / 1024:.1f}; from 25 % to 100 % sent {growth:+.1f} MB")  # fmt: skip
