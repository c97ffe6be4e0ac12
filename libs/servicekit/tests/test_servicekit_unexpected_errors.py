"""An unexpected error is a JSON 500 in the platform's shape, with the correlation id, logged
once with its traceback; never Starlette's plain-text answer."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
import structlog
from contacts_servicekit.logging import configure_logging
from contacts_testing.bare_app import bare_service_app
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

pytestmark = pytest.mark.unit


@pytest.fixture
def log_stream() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    stream = io.StringIO()
    configure_logging("svc", fmt="json", stream=stream)
    yield stream
    root.handlers[:] = handlers
    root.setLevel(level)
    logging.captureWarnings(False)
    structlog.reset_defaults()


def failing_app() -> FastAPI:
    app = bare_service_app()

    @app.get("/broken")
    async def broken() -> None:
        raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")

    return app


async def test_an_unexpected_error_is_a_logged_json_500(log_stream: io.StringIO) -> None:
    transport = ASGITransport(failing_app(), raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://t") as http:
        response = await http.get("/broken", headers={"X-Correlation-ID": "req-500"})
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["X-Correlation-ID"] == "req-500"
    body = response.json()
    assert (body["error"], body["field"]) == ("internal_error", None)
    assert "req-500" in body["detail"] and "surrogates" not in body["detail"]
    lines = [json.loads(line) for line in log_stream.getvalue().splitlines()]
    [failure] = [line for line in lines if line["event"] == "http.unexpected_error"]
    assert failure["correlation_id"] == "req-500" and failure["path"] == "/broken"
    assert "UnicodeEncodeError" in failure["exception"] and "Traceback" in failure["exception"]
