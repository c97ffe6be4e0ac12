"""The API conventions in every service's OpenAPI document, declared once here.

Every route can answer some statuses whatever it does, because of the scaffolding around it:
503 (load shedding, a dependency down), 422 (unstorable text in any parameter; validation),
401 where it takes credentials, 413 where it takes a body. :func:`document_conventions` adds
those to each operation (probes aside) and writes every 4xx/5xx answer as what the service
really sends: `application/problem+json` with the :class:`~contacts_servicekit.problem.Problem`
schema, and the headers that come with it (`WWW-Authenticate`, `Retry-After`, the RateLimit
fields). A route declares only what is its own: :func:`problems` (404, 409, 429...) and
:func:`created` (the `Location` of a 201).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute

from contacts_servicekit.load_shedding import EXEMPT_PATHS
from contacts_servicekit.problem import MEDIA_TYPE, Problem

Responses = dict[int | str, dict[str, Any]]
PROBLEM_REF = "#/components/schemas/Problem"
DESCRIPTIONS = {
    401: "No valid credentials (`missing_token`, `invalid_token`), or the account is closed "
    "(`account_closed`)",
    403: "The caller may see this but not do it",
    404: "Nothing the caller may see has this id",
    409: "The request contradicts the current state",
    410: "It was here, and is no longer kept (a retention passed)",
    413: "The body is larger than this service accepts (`body_too_large`)",
    422: "Invalid input: `field` names it and `detail` says why (`problems`: every field)",
    429: "A limit was reached: retry after `Retry-After` seconds (RateLimit-Policy, RateLimit)",
    503: "At capacity (`overloaded`) or a dependency is unavailable: retry after `Retry-After`",
}
_TEXT: dict[str, Any] = {"schema": {"type": "string"}}
_RETRY_AFTER = {"Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}}}
HEADERS: dict[int, dict[str, Any]] = {
    401: {"WWW-Authenticate": {"description": "the RFC 6750 challenge", **_TEXT}},
    429: {
        **_RETRY_AFTER,
        "RateLimit-Policy": {"description": 'the limit: `"name";q=quota;w=window`', **_TEXT},
        "RateLimit": {"description": 'what is left: `"name";r=0;t=seconds`', **_TEXT},
    },
    503: _RETRY_AFTER,
}


def operation_id(route: APIRoute) -> str:
    """The endpoint function's name (`list_contacts`): what a client's method is called."""
    return route.name


def problems(*statuses: int | tuple[int, str]) -> Responses:
    """`responses=` for the statuses a route answers of its own (those every route answers
    are added by :func:`document_conventions`); `(404, "no such contact")` says it better
    than the default description."""
    declared: Responses = {}
    for entry in statuses:
        status, description = entry if isinstance(entry, tuple) else (entry, DESCRIPTIONS[entry])
        declared[status] = {"description": description}
    return declared


def created(location: str, description: str = "Created") -> Responses:
    """The 201 of a route that creates something, with the `Location` it answers."""
    header = {"description": f"the created resource: `{location}`", **_TEXT}
    return {201: {"description": description, "headers": {"Location": header}}}


def document_conventions(document: dict[str, Any]) -> dict[str, Any]:
    """Complete a generated document in place (see the module's docstring); return it."""
    for path, item in document.get("paths", {}).items():
        if path in EXEMPT_PATHS:
            continue
        for operation in item.values():
            _complete(operation)
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(problem.pop("$defs", {}))
    schemas["Problem"] = problem
    for unused in ("HTTPValidationError", "ValidationError"):  # FastAPI's 422, replaced
        if f'"#/components/schemas/{unused}"' not in json.dumps(document):
            schemas.pop(unused, None)
    return document


def _complete(operation: dict[str, Any]) -> None:
    responses = operation.setdefault("responses", {})
    implied = {422, 503}
    if operation.get("security"):
        implied.add(401)
    if "requestBody" in operation:
        implied.add(413)
    for status in implied:
        responses.setdefault(str(status), {})
    for key, response in responses.items():
        if not key.isdigit() or int(key) < 400:
            continue
        status = int(key)
        if response.get("description") in (None, "", "Validation Error"):
            response["description"] = DESCRIPTIONS.get(status, "Error")
        response["content"] = {MEDIA_TYPE: {"schema": {"$ref": PROBLEM_REF}}}
        if status in HEADERS:
            response.setdefault("headers", {}).update(HEADERS[status])


class ConventionalApp(FastAPI):
    """FastAPI whose OpenAPI document follows the platform's conventions."""

    def openapi(self) -> dict[str, Any]:
        cached = self.openapi_schema
        document = super().openapi()
        return document if document is cached else document_conventions(document)
