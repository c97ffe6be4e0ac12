"""Every error a service answers is RFC 9457 problem details (`application/problem+json`),
whichever part of the scaffolding writes it; a limit's 429 carries the RateLimit fields."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from contacts_servicekit import domain_errors as domain
from contacts_servicekit.errors import NotFound, TooManyRequests
from contacts_servicekit.load_shedding import InFlightLimit
from contacts_testing.bare_app import bare_service_app
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient, Response
from pydantic import BaseModel, Field

pytestmark = pytest.mark.unit
LOOKUPS = domain.QuotaPolicy("connect_id_lookup", 30, 180)


class Note(BaseModel):
    text: str = Field(max_length=5)
    count: int


def app_with_routes() -> FastAPI:
    app = bare_service_app(max_body_bytes=64)

    @app.get("/v1/things/{thing_id}")
    async def read_thing(thing_id: str) -> None:
        raise NotFound("thing_not_found", "You have no thing with this id.", "thing_id")

    @app.post("/v1/notes")
    async def add_note(note: Note) -> None: ...

    @app.get("/v1/limited")
    async def limited() -> None:
        raise domain.LimitReached("rate_limited", "Too many; try again in 12 s.", 12, None, LOOKUPS)

    @app.get("/v1/throttled")
    async def throttled() -> None:
        raise TooManyRequests("Too many look-ups.", 7, LOOKUPS)

    return app


async def answer(method: str, path: str, **request: Any) -> Response:
    transport = ASGITransport(app=app_with_routes())
    async with AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.request(method, path, **request)


def assert_problem(response: Response, status: int, error: str, field: str | None) -> None:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert {k: body[k] for k in ("type", "status", "error", "field")} == {
        "type": f"urn:contacts:error:{error}", "status": status, "error": error, "field": field,
    }  # fmt: skip
    assert body["detail"] and "message" not in body


async def test_an_api_error_is_a_problem_naming_the_request_path() -> None:
    response = await answer("GET", "/v1/things/t1")
    assert_problem(response, 404, "thing_not_found", "thing_id")
    assert response.json()["title"] == "Not Found"
    assert response.json()["instance"] == "/v1/things/t1"


async def test_a_validation_error_lists_every_field_at_fault() -> None:
    response = await answer("POST", "/v1/notes", json={"text": "too long"})
    assert_problem(response, 422, "invalid_request", "text")
    body = response.json()
    assert body["title"] == "Unprocessable Content"
    assert [(p["field"], p["error"]) for p in body["problems"]] == [
        ("text", "string_too_long"),
        ("count", "missing"),
    ]
    assert body["detail"].startswith("text: ")


@pytest.mark.parametrize("path", ["/v1/limited", "/v1/throttled"])
async def test_a_limit_answers_retry_after_and_the_ratelimit_fields(path: str) -> None:
    response = await answer("GET", path)
    assert_problem(response, 429, "rate_limited", None)
    retry_after = response.headers["retry-after"]
    assert response.headers["ratelimit-policy"] == '"connect_id_lookup";q=30;w=180'
    assert response.headers["ratelimit"] == f'"connect_id_lookup";r=0;t={retry_after}'


async def test_an_unknown_route_and_a_body_too_large_are_problems() -> None:
    assert_problem(await answer("GET", "/v1/nowhere"), 404, "not_found", None)
    too_large = await answer("POST", "/v1/notes", content=b"x" * 65)
    assert_problem(too_large, 413, "body_too_large", "body")
    assert too_large.json()["title"] == "Content Too Large"


async def test_a_request_shed_for_load_is_a_problem_with_retry_after() -> None:
    release, started = asyncio.Event(), asyncio.Event()

    async def slow(scope: Any, receive: Any, send: Any) -> None:
        started.set()
        await release.wait()

    limited = InFlightLimit(slow, limit=1)
    async with AsyncClient(transport=ASGITransport(app=limited), base_url="http://t") as client:
        held = asyncio.create_task(client.get("/v1/first"))
        await asyncio.wait_for(started.wait(), 10)
        refused = await client.get("/v1/second")
        release.set()
        held.cancel()
    assert_problem(refused, 503, "overloaded", None)
    assert (refused.headers["retry-after"], refused.json()["instance"]) == ("1", "/v1/second")
