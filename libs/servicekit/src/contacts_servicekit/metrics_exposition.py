"""The `/metrics` body: this process's registry, or every worker's in multiprocess mode.

With several worker processes, set `PROMETHEUS_MULTIPROC_DIR` to an empty directory before
they start: prometheus_client then keeps each process's samples in files there, and a scrape
of any worker reads them all (see docs/operations.md).
"""

from __future__ import annotations

import os

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

MULTIPROCESS_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"


def multiprocess_mode() -> bool:
    """Whether metrics are shared between the worker processes of a service."""
    return bool(os.environ.get(MULTIPROCESS_DIR_VARIABLE))


def exposition() -> tuple[bytes, str]:
    """The text exposition of every metric and its content type."""
    if multiprocess_mode():
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
