"""The project's own rules for its OpenAPI documents (issue 15's API conventions), each a
function from one service's document to the offenders: `METHOD /path: what is wrong`."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

Document = dict[str, Any]
Rule = Callable[[Document], list[str]]
PROBES = ("/health", "/ready")
PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
_METHOD_NAME = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")


def operations(document: Document) -> Iterator[tuple[str, dict[str, Any]]]:
    """(`METHOD /path`, operation) for every operation but the probes'."""
    for path, item in document["paths"].items():
        if path not in PROBES:
            for method, operation in item.items():
                yield f"{method.upper()} {path}", operation


def operation_ids_are_method_names(document: Document) -> list[str]:
    return [
        f"{name}: operationId {op.get('operationId')!r} is not a snake_case method name"
        for name, op in operations(document)
        if not _METHOD_NAME.fullmatch(op.get("operationId", ""))
    ]


def authenticated_routes_document_401(document: Document) -> list[str]:
    return [
        f"{name}: takes credentials but does not document 401"
        for name, op in operations(document)
        if op.get("security") and "401" not in op["responses"]
    ]


def routes_with_a_body_document_413_and_422(document: Document) -> list[str]:
    return [
        f"{name}: takes a body but does not document {status}"
        for name, op in operations(document)
        if "requestBody" in op
        for status in ("413", "422")
        if status not in op["responses"]
    ]


def routes_document_503(document: Document) -> list[str]:
    return [f"{name}: does not document 503" for name, op in operations(document) if "503" not in op["responses"]]  # fmt: skip


def errors_are_problem_json(document: Document) -> list[str]:
    return [
        f"{name}: {status} is not application/problem+json with the Problem schema"
        for name, op in operations(document)
        for status, response in op["responses"].items()
        if status[0] in "45" and response.get("content") != PROBLEM
    ]


def created_answers_document_location(document: Document) -> list[str]:
    return [
        f"{name}: 201 without a Location header"
        for name, op in operations(document)
        if "201" in op["responses"] and "Location" not in op["responses"]["201"].get("headers", {})
    ]


def request_bodies_have_examples(document: Document) -> list[str]:
    return [
        f"{name}: request body {media} has no example"
        for name, op in operations(document)
        for media, content in op.get("requestBody", {}).get("content", {}).items()
        if not _has_example(document, content)
    ]


def lists_are_paginated(document: Document) -> list[str]:
    offenders = []
    for name, op in operations(document):
        schema = _resolve(document, _json_schema(op.get("responses", {}).get("200", {})))
        is_list = schema.get("type") == "array" or "items" in schema.get("properties", {})
        if not name.startswith("GET ") or not is_list:
            continue
        query = {p["name"] for p in op.get("parameters", []) if p["in"] == "query"}
        if not {"cursor", "limit"} <= query:
            offenders.append(f"{name}: a list without `cursor` and `limit` parameters")
        if "next_cursor" not in schema.get("properties", {}):
            offenders.append(f"{name}: a list that does not answer `next_cursor`")
    return offenders


RULES: tuple[Rule, ...] = (
    operation_ids_are_method_names,
    authenticated_routes_document_401,
    routes_with_a_body_document_413_and_422,
    routes_document_503,
    errors_are_problem_json,
    created_answers_document_location,
    request_bodies_have_examples,
    lists_are_paginated,
)


def _json_schema(response: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = (
        response.get("content", {}).get("application/json", {}).get("schema", {})
    )
    return schema


def _resolve(document: Document, schema: dict[str, Any]) -> dict[str, Any]:
    """`schema`, or the component its `$ref` names."""
    ref = schema.get("$ref", "")
    if not ref.startswith("#/components/schemas/"):
        return schema
    found: dict[str, Any] = document["components"]["schemas"][ref.rsplit("/", 1)[1]]
    return found


def _has_example(document: Document, content: dict[str, Any]) -> bool:
    schema = _resolve(document, content.get("schema", {}))
    return any(key in where for where in (content, schema) for key in ("example", "examples"))
