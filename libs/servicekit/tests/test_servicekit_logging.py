"""Logging: JSON lines with service and correlation id; the correlation-id middleware."""

from __future__ import annotations

import io
import json
import logging
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import structlog
from contacts_servicekit.logging import (
    CorrelationIdMiddleware,
    accepted_correlation_id,
    bind_correlation_id,
    configure_logging,
    current_correlation_id,
)
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from hypothesis import given
from hypothesis import strategies as st

pytestmark = pytest.mark.unit


@pytest.fixture
def log_stream() -> Iterator[io.StringIO]:
    """A stream to log into; the logging configuration is restored afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield io.StringIO()
    root.handlers[:] = handlers
    root.setLevel(level)
    logging.captureWarnings(False)
    structlog.reset_defaults()
    structlog.contextvars.clear_contextvars()


def json_lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_json_lines_carry_service_and_bound_correlation_id(log_stream: io.StringIO) -> None:
    configure_logging("contacts", fmt="json", stream=log_stream)
    bind_correlation_id("req-42")

    structlog.get_logger("contacts.api").info("contact.archived", contact_id="c1")

    [line] = json_lines(log_stream)
    assert line["event"] == "contact.archived"
    assert line["contact_id"] == "c1"
    assert line["correlation_id"] == "req-42"
    assert line["service"] == "contacts"
    assert line["level"] == "info"
    assert line["logger"] == "contacts.api"
    assert line["timestamp"].endswith("Z")


def test_stdlib_loggers_go_through_the_same_renderer(log_stream: io.StringIO) -> None:
    configure_logging("importer", fmt="json", stream=log_stream)
    bind_correlation_id("req-7")

    logging.getLogger("uvicorn.error").warning("worker %s started", 3, extra={"color_message": "x"})
    logging.getLogger("aiokafka").info("quiet below WARNING")

    [line] = json_lines(log_stream)
    assert line["event"] == "worker 3 started"
    assert (line["logger"], line["level"]) == ("uvicorn.error", "warning")
    assert (line["service"], line["correlation_id"]) == ("importer", "req-7")
    assert "color_message" not in line


def test_auto_format_is_json_off_a_terminal(log_stream: io.StringIO) -> None:
    configure_logging("directory", fmt="auto", stream=log_stream)

    structlog.get_logger().warning("hello")

    assert json_lines(log_stream)[0]["event"] == "hello"


def test_console_format_is_for_people(log_stream: io.StringIO) -> None:
    configure_logging("directory", fmt="console", stream=log_stream)

    structlog.get_logger().info("hello", answer=42)

    output = log_stream.getvalue()
    assert "hello" in output
    assert "answer=42" in output
    assert not output.startswith("{")


def test_level_filters_debug_lines(log_stream: io.StringIO) -> None:
    configure_logging("directory", level="INFO", fmt="json", stream=log_stream)

    structlog.get_logger().debug("not shown")

    assert log_stream.getvalue() == ""


def test_reconfiguring_replaces_the_handler(log_stream: io.StringIO) -> None:
    configure_logging("a", fmt="json", stream=log_stream)
    configure_logging("b", fmt="json", stream=log_stream)

    structlog.get_logger().info("once")

    [line] = json_lines(log_stream)
    assert line["service"] == "b"


def test_bind_correlation_id_generates_a_uuid_when_none() -> None:
    generated = bind_correlation_id(None)

    assert uuid.UUID(generated).version == 4
    assert current_correlation_id() == generated
    structlog.contextvars.clear_contextvars()


@given(st.text(max_size=200))
def test_only_safe_correlation_ids_are_accepted(candidate: str) -> None:
    accepted = accepted_correlation_id(candidate)

    safe = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-")
    assert accepted in (None, candidate)
    assert (accepted is not None) == (1 <= len(candidate) <= 128 and set(candidate) <= safe)


def make_client() -> AsyncClient:
    app = FastAPI()
    app.add_middleware(CorrelationIdMiddleware)

    @app.get("/whoami")
    async def whoami() -> dict[str, str | None]:
        return {"correlation_id": current_correlation_id()}

    return AsyncClient(transport=ASGITransport(app=app), base_url="http://test")


async def test_middleware_echoes_a_given_correlation_id(log_stream: io.StringIO) -> None:
    configure_logging("contacts", fmt="json", stream=log_stream)

    async with make_client() as client:
        response = await client.get("/whoami", headers={"X-Correlation-ID": "abc-123:x.y"})

    assert response.headers["X-Correlation-ID"] == "abc-123:x.y"
    assert response.json() == {"correlation_id": "abc-123:x.y"}
    [line] = [entry for entry in json_lines(log_stream) if entry["event"] == "http.request"]
    assert line["correlation_id"] == "abc-123:x.y"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/whoami", 200)
    assert line["duration_ms"] >= 0
    assert line["service"] == "contacts"


@pytest.mark.parametrize("hostile", ["<script>alert(1)</script>", "a" * 129, "id with spaces"])
async def test_middleware_replaces_a_hostile_correlation_id(hostile: str) -> None:
    async with make_client() as client:
        response = await client.get("/whoami", headers={"X-Correlation-ID": hostile})

    echoed = response.headers["X-Correlation-ID"]
    assert echoed != hostile
    assert uuid.UUID(echoed).version == 4
    assert response.json() == {"correlation_id": echoed}


async def test_middleware_generates_a_correlation_id_when_absent() -> None:
    async with make_client() as client:
        first = (await client.get("/whoami")).headers["X-Correlation-ID"]
        second = (await client.get("/whoami")).headers["X-Correlation-ID"]

    assert uuid.UUID(first).version == 4
    assert first != second


async def test_middleware_logs_unknown_routes_with_their_status(log_stream: io.StringIO) -> None:
    configure_logging("contacts", fmt="json", stream=log_stream)

    async with make_client() as client:
        response = await client.get("/nowhere")

    assert response.status_code == 404
    assert "X-Correlation-ID" in response.headers
    [line] = [entry for entry in json_lines(log_stream) if entry["event"] == "http.request"]
    assert (line["status"], line["level"]) == (404, "info")


async def test_middleware_logs_a_crash_as_500(log_stream: io.StringIO) -> None:
    configure_logging("contacts", fmt="json", stream=log_stream)
    app = FastAPI()
    app.add_middleware(CorrelationIdMiddleware)

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("boom")

    transport = ASGITransport(app=app, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get("/boom")

    assert response.status_code == 500
    [line] = [entry for entry in json_lines(log_stream) if entry["event"] == "http.request"]
    assert (line["status"], line["level"]) == (500, "error")
