"""One measured line of bench/importer_results.py."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    what: str
    seconds: float
    megabytes: float
    cpu_s: float | None = None  # the importer's (or the bench's, for what the bench does)
    peak_mb: float | None = None  # the importer's VmHWM during it (or the bench's peak)
    health_max_ms: float | None = None  # the slowest GET /health of the importer meanwhile
