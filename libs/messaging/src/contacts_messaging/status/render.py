"""The status as tables for a terminal."""

from __future__ import annotations

from collections.abc import Sequence

from contacts_messaging.status.report import PlatformStatus, ServiceState


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    """Columns padded to their widest cell; a column of numbers is right-aligned."""
    cells = [[str(c) for c in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    right = [
        bool(rows) and all(isinstance(row[i], int) for row in rows) for i in range(len(headers))
    ]
    return [
        "  ".join(
            c.rjust(w) if r else c.ljust(w) for c, w, r in zip(row, widths, right, strict=True)
        ).rstrip()
        for row in cells
    ]


def _age(seconds: float | None) -> str:
    if not seconds:
        return "-"
    if seconds < 120:
        return f"{seconds:.1f} s"
    return f"{seconds / 60:.1f} min" if seconds < 7200 else f"{seconds / 3600:.1f} h"


def _readiness(service: ServiceState) -> str:
    if not service.ready:
        return "NO"
    return "yes" if service.all_ok else "degraded"


def render(status: PlatformStatus) -> str:
    services = [
        (s.name, s.url, "yes" if s.up else "NO", _readiness(s),
         ", ".join(f"{k} {v}" for k, v in s.checks.items()))
        for s in status.services
    ]  # fmt: skip
    outboxes = [
        (o.schema, "?" if o.backlog is None else o.backlog, o.error or _age(o.oldest_age_seconds))
        for o in status.outboxes
    ]
    groups = [
        (g.group, g.lag, ", ".join(g.topics) or "(no commits yet)") for g in status.consumer_groups
    ]
    dead = [(d.topic, d.messages, d.not_replayed) for d in status.dead_letters]
    out = ["platform: " + ("healthy" if status.healthy else "NOT HEALTHY"), ""]
    out += table(("SERVICE", "URL", "UP", "READY", "CHECKS"), services)
    out += ["", *table(("OUTBOX (schema)", "UNSENT", "OLDEST UNSENT"), outboxes)]
    out += ["", *table(("CONSUMER GROUP", "LAG", "TOPICS"), groups)]
    out += ["", *table(("DEAD-LETTER TOPIC", "MESSAGES", "NOT REPLAYED"), dead)]
    out += [f"{part}: could not be read: {error}" for part, error in status.errors.items()]
    return "\n".join(out)
