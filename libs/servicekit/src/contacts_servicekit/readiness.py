"""What `/ready` answers, from the checks a service reports (no web types: the service host
reports its checks with these words, the HTTP layer turns them into a status code)."""

from __future__ import annotations

DEGRADED = "degraded"
"""A readiness check's prefix for a dependency lost that the instance can serve without."""


def readiness_status(checks: dict[str, str]) -> str:
    """`ready` (every check `ok`), `degraded` (the others `degraded: ...`) or `unavailable`."""
    if all(value == "ok" for value in checks.values()):
        return "ready"
    if all(value == "ok" or value.startswith(DEGRADED) for value in checks.values()):
        return DEGRADED
    return "unavailable"
