"""Reading a running service's `/metrics` as Prometheus would, for tests that check counters."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from contacts_testing.running_service import RunningService

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]
"""Each sample's value by its name and labels."""


async def scrape(service: RunningService) -> Samples:
    response = await service.http.get("/metrics")  # no token, like the probes
    assert response.status_code == 200
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(response.text)
        for s in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float | None:
    return samples.get((name, frozenset(labels.items())))
