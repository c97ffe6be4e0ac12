"""NUL and lone surrogates are refused in every part of a request, naming the part: 422
`invalid_character`, on routes the app gets after it was built (a service's routers) too."""

from __future__ import annotations

from typing import Any

import pytest
from contacts_servicekit.storable_text import json_strings
from contacts_testing.bare_app import bare_service_app
from fastapi import APIRouter, FastAPI, File, Form, Request, UploadFile
from httpx import ASGITransport, AsyncClient
from pydantic import BaseModel

pytestmark = pytest.mark.unit
JSON = {"Content-Type": "application/json"}


class Contact(BaseModel):
    name: str
    emails: list[str] = []
    tags: dict[str, str] = {}


def app_with_routes() -> FastAPI:
    app = bare_service_app()
    router = APIRouter()  # included afterwards, as every service's are

    @router.post("/contacts/{label}")
    async def add(label: str, body: Contact, q: str | None = None) -> dict[str, Any]:
        return {"label": label, "name": body.name}

    @router.post("/files")
    async def upload(file: UploadFile = File(), region: str = Form("")) -> dict[str, str]:  # noqa: B008
        return {
            "region": region,
            "filename": file.filename or "",
            "size": str(len(await file.read())),
        }

    @router.post("/callback")
    async def callback(request: Request) -> dict[str, str]:
        return {k: str(v) for k, v in (await request.form()).items()}

    app.include_router(router)
    return app


def client() -> AsyncClient:
    return AsyncClient(transport=ASGITransport(app_with_routes()), base_url="http://t")


def refused_naming(response: Any, field: str) -> bool:
    body = response.json()
    return bool(response.status_code == 422 and body["error"] == "invalid_character"
                and body["field"] == field and body["detail"])  # fmt: skip


@pytest.mark.parametrize(
    ("raw_json", "field"),
    [
        (rb'{"name": "Ada\u0000"}', "name"),
        (rb'{"name": "Ada", "emails": ["a@b.c", "x\u0000@b.c"]}', "emails[1]"),
        (rb'{"name": "Ada", "tags": {"home": "\ud800"}}', "tags.home"),  # a lone surrogate
        (rb'{"name": "Ada", "tags": {"a\u0000": "b"}}', "tags.a\ufffd"),
    ],
)
async def test_json_fields_are_named(raw_json: bytes, field: str) -> None:
    async with client() as http:
        response = await http.post("/contacts/x", content=raw_json, headers=JSON)
        assert refused_naming(response, field), response.text


async def test_query_and_path_parameters_are_named() -> None:
    async with client() as http:
        assert refused_naming(await http.post("/contacts/x?q=a%00", json={"name": "A"}), "q")
        assert refused_naming(await http.post("/contacts/a%00b", json={"name": "A"}), "label")


async def test_form_fields_and_file_names_are_named_and_file_contents_are_not_looked_at() -> None:
    async with client() as http:
        binary = await http.post("/files", files={"file": ("a.xlsx", b"PK\x00\x00")})
        assert binary.json()["size"] == "4"
        field = await http.post("/files", files={"file": ("a.csv", b"x")}, data={"region": "F\x00"})
        assert refused_naming(field, "region")
        named = b'--B\r\nContent-Disposition: form-data; name="file"; filename="a\x00.csv"\r\n\r\nx\r\n--B--\r\n'
        headers = {"Content-Type": "multipart/form-data; boundary=B"}
        assert refused_naming(await http.post("/files", content=named, headers=headers), "file")
        read_by_the_route = await http.post("/callback", data={"Status": "ok\x00"})
        assert refused_naming(read_by_the_route, "Status")


async def test_good_requests_pass_untouched() -> None:
    async with client() as http:
        escaped = rb'{"name": "\u00c9mile \ud83d\ude00", "emails": ["a\\u0000@literal.backslash"]}'
        response = await http.post("/contacts/x?q=b", content=escaped, headers=JSON)
        assert response.json() == {"label": "x", "name": "\u00c9mile \U0001f600"}
        assert (await http.get("/health")).status_code == 200


def test_json_strings_walks_keys_values_and_lists_with_their_place() -> None:
    document = {"a": ["x", {"b": "y"}], "c": 1}
    assert list(json_strings(document)) == [
        ("a", "a"), ("a[0]", "x"), ("a[1].b", "b"), ("a[1].b", "y"), ("c", "c"),
    ]  # fmt: skip
    assert list(json_strings("top")) == [("body", "top")]
