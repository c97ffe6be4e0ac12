"""RFC 9457 problem details: the one shape of every error the platform's APIs answer.

``{"type": "urn:contacts:error:<error>", "title": <the status's phrase>, "status": 422,
"detail": <a sentence for a person>, "instance": <the request's path>, "error": <code>,
"field": <the input at fault, or null>}`` as ``application/problem+json``. ``error`` and
``field`` are the platform's extension members: ``error`` is the stable code a program
branches on (``type`` says the same as a URI), ``field`` names the parameter, body field or
header to correct. A validation error adds ``problems``, one per field at fault.

Everything that writes an error body (exception handlers, middleware, the protocol's 431)
builds it here, so no answer can drift from the shape.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:contacts:error:"
# RFC 9110's names where Python 3.11's `HTTPStatus` still has the older ones
_TITLES = {413: "Content Too Large", 422: "Unprocessable Content"}


def title_of(status: int) -> str:
    """The status's reason phrase: `Unprocessable Content`, `Too Many Requests`."""
    return _TITLES.get(status) or HTTPStatus(status).phrase


class FieldProblem(BaseModel):
    field: str | None = Field(description="the parameter or body field at fault")
    detail: str = Field(description="what is wrong with it, for a person")
    error: str = Field(description="machine-readable reason (e.g. string_too_long)")


class Problem(BaseModel):
    """An error, as RFC 9457 problem details with the platform's `error` and `field`."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": "urn:contacts:error:connect_id_not_found",
                    "title": "Not Found",
                    "status": 404,
                    "detail": "No user or contact point has this ConnectID.",
                    "instance": "/v1/connect-ids/K7Q-M2X-9HB",
                    "error": "connect_id_not_found",
                    "field": "connect_id",
                }
            ]
        }
    )

    type: str = Field(description="`urn:contacts:error:` and the error code")
    title: str = Field(description="the HTTP status's phrase")
    status: int = Field(description="the HTTP status code")
    detail: str = Field(description="what went wrong and what to do, for a person")
    instance: str | None = Field(description="the path of the request that failed")
    error: str = Field(description="machine-readable code, stable: branch on this")
    field: str | None = Field(description="the request field or header at fault, if one is")
    problems: list[FieldProblem] | None = Field(
        default=None, description="validation errors only: every field at fault"
    )


def problem(
    status: int, error: str, detail: str, field: str | None = None,
    instance: str | None = None, **extensions: Any,
) -> dict[str, Any]:  # fmt: skip
    """The body of a problem, as plain JSON values."""
    return {
        "type": TYPE_PREFIX + error, "title": title_of(status), "status": status,
        "detail": detail, "instance": instance, "error": error, "field": field, **extensions,
    }  # fmt: skip


def problem_bytes(status: int, error: str, detail: str, **members: Any) -> bytes:
    """The body for code that writes raw bytes (ASGI middleware, the HTTP protocol)."""
    return json.dumps(problem(status, error, detail, **members)).encode()


class ProblemResponse(JSONResponse):
    media_type = MEDIA_TYPE


def problem_response(
    status: int, error: str, detail: str, field: str | None = None, *,
    instance: str | None = None, headers: Mapping[str, str] | None = None, **extensions: Any,
) -> ProblemResponse:  # fmt: skip
    body = problem(status, error, detail, field, instance, **extensions)
    return ProblemResponse(body, status_code=status, headers=headers)
