"""HTTP metrics: latency by route template, the `/metrics` endpoint, multiprocess mode."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from contacts_servicekit.http import create_app
from contacts_servicekit.http_metrics import method_label
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from prometheus_client import REGISTRY, Gauge

pytestmark = pytest.mark.unit


@asynccontextmanager
async def _lifespan(_: FastAPI) -> AsyncIterator[None]:
    yield


async def _ready() -> dict[str, str]:
    return {"postgres": "ok"}


def app_with_route(prefix: str, **options: object) -> FastAPI:
    app = create_app(service="svc", title="t", description="d", version="1",
                     lifespan=_lifespan, readiness=_ready, **options)  # type: ignore[arg-type]  # fmt: skip

    @app.get(prefix + "/{thing_id}")
    async def thing(thing_id: str) -> dict[str, str]:
        if thing_id == "boom":
            raise RuntimeError("handler failed")
        return {"id": thing_id}

    return app


def client(app: FastAPI) -> AsyncClient:
    return AsyncClient(
        transport=ASGITransport(app, raise_app_exceptions=False), base_url="http://t"
    )


def requests_seen(method: str, route: str, status: int) -> float:
    labels = {"method": method, "route": route, "status": str(status)}
    return REGISTRY.get_sample_value("http_request_duration_seconds_count", labels) or 0.0


async def test_latency_is_labelled_with_the_route_template_not_the_raw_path():
    prefix = f"/v1/{uuid.uuid4().hex[:8]}"
    async with client(app_with_route(prefix)) as http:
        for thing in ("a1", "b2", "c3"):
            assert (await http.get(f"{prefix}/{thing}")).status_code == 200
        exposition = (await http.get("/metrics")).text

    assert requests_seen("GET", prefix + "/{thing_id}", 200) == 3
    assert f"{prefix}/a1" not in exposition
    sums = REGISTRY.get_sample_value(
        "http_request_duration_seconds_sum",
        {"method": "GET", "route": prefix + "/{thing_id}", "status": "200"},
    )
    assert sums is not None and sums > 0


async def test_unmatched_paths_odd_methods_and_failures_have_bounded_labels():
    prefix = f"/v1/{uuid.uuid4().hex[:8]}"
    before_unmatched = requests_seen("GET", "<unmatched>", 404)
    before_other = requests_seen("other", prefix + "/{thing_id}", 405)
    async with client(app_with_route(prefix)) as http:
        assert (await http.get(f"/nowhere/{uuid.uuid4()}")).status_code == 404
        assert (await http.request("BREW", f"{prefix}/x")).status_code == 405
        assert (await http.get(f"{prefix}/boom")).status_code == 500

    assert requests_seen("GET", "<unmatched>", 404) == before_unmatched + 1
    assert requests_seen("other", prefix + "/{thing_id}", 405) == before_other + 1
    assert requests_seen("GET", prefix + "/{thing_id}", 500) == 1


@pytest.mark.parametrize(("method", "label"), [("GET", "GET"), ("PATCH", "PATCH"),
                                                ("get", "other"), ("X" * 100, "other")])  # fmt: skip
def test_method_label_keeps_standard_methods_only(method, label):
    assert method_label(method) == label


async def test_metrics_needs_no_token_and_refreshes_gauges_first():
    name = f"test_refreshed_{uuid.uuid4().hex[:8]}"
    gauge = Gauge(name, "set by the refresh hook")

    async def refresh() -> None:
        gauge.set(42)

    try:
        async with client(app_with_route("/r", metrics_refresh=refresh)) as http:
            response = await http.get("/metrics")
    finally:
        REGISTRY.unregister(gauge)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert f"{name} 42.0" in response.text
    assert "/metrics" not in str(await _openapi_paths())


async def _openapi_paths() -> list[str]:
    async with client(app_with_route("/r")) as http:
        return list((await http.get("/openapi.json")).json()["paths"])


async def test_a_failing_refresh_still_serves_the_other_metrics():
    async def refresh() -> None:
        raise ConnectionError("postgres is down")

    async with client(app_with_route("/f", metrics_refresh=refresh)) as http:
        response = await http.get("/metrics")
    assert response.status_code == 200
    assert "http_request_duration_seconds" in response.text


_WORKER = """
import asyncio, sys
from contacts_servicekit.http_metrics import REQUEST_SECONDS
REQUEST_SECONDS.labels("GET", "/multi", "200").observe(0.002 * int(sys.argv[1]))
"""
_SCRAPE = """
from contacts_servicekit.metrics_exposition import exposition
print(exposition()[0].decode())
"""


def test_multiprocess_mode_adds_up_every_worker(tmp_path: Path):
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    for worker in (1, 2, 3):
        subprocess.run([sys.executable, "-c", _WORKER, str(worker)], env=env, check=True)
    scraped = subprocess.run([sys.executable, "-c", _SCRAPE], env=env, check=True,
                             capture_output=True, text=True).stdout  # fmt: skip
    assert 'http_request_duration_seconds_count{method="GET",route="/multi",status="200"} 3.0' in (
        scraped
    )
