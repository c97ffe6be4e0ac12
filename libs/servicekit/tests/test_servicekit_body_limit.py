"""Request bodies are bounded: 413 `body_too_large` naming the body, declared or streamed."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from contacts_testing.bare_app import bare_service_app
from fastapi import FastAPI, File, Form, UploadFile
from httpx import ASGITransport, AsyncClient
from pydantic import BaseModel

pytestmark = pytest.mark.unit

LIMIT, UPLOAD_LIMIT = 2048, 8192


class Note(BaseModel):
    text: str


def bounded_app() -> FastAPI:
    app = bare_service_app(max_body_bytes=LIMIT, max_upload_bytes=UPLOAD_LIMIT)

    @app.post("/notes")
    async def note(body: Note) -> dict[str, int]:
        return {"length": len(body.text)}

    @app.post("/files")
    async def upload(file: UploadFile = File(), label: str = Form("")) -> dict[str, int]:  # noqa: B008
        return {"size": len(await file.read())}

    return app


def client() -> AsyncClient:
    return AsyncClient(transport=ASGITransport(bounded_app()), base_url="http://t")


def refused(response: object) -> bool:
    assert hasattr(response, "status_code") and hasattr(response, "json")
    return bool(
        response.status_code == 413
        and response.json()["error"] == "body_too_large"
        and response.json()["field"] == "body"
    )


async def test_a_json_body_at_the_limit_passes_and_one_byte_over_is_413() -> None:
    overhead = len('{"text":""}')
    json = {"Content-Type": "application/json"}
    async with client() as http:
        exact = f'{{"text":"{"x" * (LIMIT - overhead)}"}}'
        assert (await http.post("/notes", content=exact, headers=json)).status_code == 200
        over = f'{{"text":"{"x" * (LIMIT - overhead + 1)}"}}'
        assert refused(await http.post("/notes", content=over, headers=json))


async def test_a_chunked_body_without_a_length_is_counted_and_refused() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"text":"'
        for _ in range(10):
            yield b"x" * 512
        yield b'"}'

    async with client() as http:
        response = await http.post(
            "/notes", content=chunks(), headers={"Content-Type": "application/json"}
        )
        assert "content-length" not in response.request.headers
        assert refused(response)
        assert (await http.post("/notes", json={"text": "short"})).json() == {"length": 5}


async def test_uploads_have_their_own_larger_bound() -> None:
    async with client() as http:
        fits = await http.post("/files", files={"file": ("a.csv", b"x" * (LIMIT * 2))})
        assert fits.json() == {"size": LIMIT * 2}
        assert refused(await http.post("/files", files={"file": ("a.csv", b"x" * UPLOAD_LIMIT)}))
