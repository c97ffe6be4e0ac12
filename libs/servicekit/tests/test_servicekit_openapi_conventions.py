"""The OpenAPI document of an app `create_app` built follows the conventions without each
route repeating them: operationIds are function names, the statuses the scaffolding answers
are documented, every error is problem+json with its headers; `/docs` is served offline."""

from __future__ import annotations

from typing import Annotated, Any

import pytest
from contacts_servicekit.docs_page import CONTENT_SECURITY_POLICY
from contacts_servicekit.openapi_conventions import created, problems
from contacts_testing.bare_app import bare_service_app
from fastapi import Depends, FastAPI, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from httpx import ASGITransport, AsyncClient
from pydantic import BaseModel

pytestmark = pytest.mark.unit
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(HTTPBearer(auto_error=False))]


class Note(BaseModel):
    text: str


def app_with_routes() -> FastAPI:
    app = bare_service_app()

    @app.post(
        "/v1/notes", status_code=201, responses={**created("/v1/notes/{id}"), **problems(409)}
    )
    async def add_note(note: Note, credentials: Credentials, response: Response) -> None: ...

    @app.get("/v1/look-ups", responses=problems((429, "too many look-ups")))
    async def look_up() -> None: ...

    return app


def operation(document: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    found: dict[str, Any] = document["paths"][path][method]
    return found


def test_operation_ids_are_the_endpoint_functions_names() -> None:
    document = app_with_routes().openapi()
    assert operation(document, "/v1/notes", "post")["operationId"] == "add_note"
    assert operation(document, "/v1/look-ups", "get")["operationId"] == "look_up"


def test_the_statuses_the_scaffolding_answers_are_documented_where_they_apply() -> None:
    document = app_with_routes().openapi()
    add = operation(document, "/v1/notes", "post")["responses"]
    look_up = operation(document, "/v1/look-ups", "get")["responses"]
    assert set(add) == {"201", "401", "409", "413", "422", "503"}
    assert set(look_up) == {"200", "422", "429", "503"}  # no credentials, no body
    assert look_up["429"]["description"] == "too many look-ups"
    assert set(operation(document, "/ready", "get")["responses"]) == {"200", "503"}


def test_every_error_is_problem_json_with_the_headers_that_come_with_it() -> None:
    document = app_with_routes().openapi()
    add = operation(document, "/v1/notes", "post")["responses"]
    look_up = operation(document, "/v1/look-ups", "get")["responses"]
    for response in (*[add[s] for s in ("401", "409", "413", "422", "503")], look_up["429"]):
        assert response["content"] == {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        }
    assert set(look_up["429"]["headers"]) == {"Retry-After", "RateLimit-Policy", "RateLimit"}
    assert set(add["401"]["headers"]) == {"WWW-Authenticate"}
    assert set(add["201"]["headers"]) == {"Location"}
    schemas = document["components"]["schemas"]
    assert {"Problem", "FieldProblem"} <= set(schemas)
    assert "HTTPValidationError" not in schemas
    assert set(schemas["Problem"]["required"]) >= {"type", "title", "status", "detail", "error"}


async def test_the_docs_page_is_served_with_its_assets_and_allows_only_the_service() -> None:
    transport = ASGITransport(app=app_with_routes())
    async with AsyncClient(transport=transport, base_url="http://t") as client:
        page = await client.get("/docs")
        assets = [
            await client.get(f"/docs/assets/{name}")
            for name in ("swagger-ui-bundle.js", "swagger-ui.css", "swagger-init.js")
        ]
    assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY
    assert "<script>" not in page.text and "http" not in page.text.replace("http-equiv", "")
    assert [a.status_code for a in assets] == [200, 200, 200]


async def test_no_redoc_page_loading_from_a_cdn_is_served() -> None:
    transport = ASGITransport(app=app_with_routes())
    async with AsyncClient(transport=transport, base_url="http://t") as client:
        assert (await client.get("/redoc")).status_code == 404
