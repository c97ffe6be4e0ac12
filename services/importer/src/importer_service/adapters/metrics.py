"""The importer's Prometheus metrics, in the process's default registry (served at /metrics by
the shared HTTP app)."""

from __future__ import annotations

from prometheus_client import Counter

ROWS_VALIDATED = Counter(
    "import_rows_validated_total",
    "Import rows whose phone number a worker parsed and checked (rate() gives rows/s; a step "
    "redelivered after a crash counts its rows again).",
)


def count_rows_validated(rows: int) -> None:
    ROWS_VALIDATED.inc(rows)
