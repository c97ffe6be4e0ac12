"""Answer with a response model already built, without FastAPI checking it a second time.

FastAPI turns a returned model back into a dict and validates it against the route's
``response_model`` again before serializing it. For a model the endpoint has just built (and
so validated) that is pure cost: on a page of fifty contacts it was a large share of the
request. Return :class:`ModelResponse` instead; keep ``response_model`` on the route, so the
OpenAPI document still describes the body.
"""

from __future__ import annotations

from typing import Any

from fastapi import Response
from pydantic import BaseModel


class ModelResponse(Response):
    """A JSON response with `model`'s own serialization (pydantic's, in Rust)."""

    media_type = "application/json"

    def __init__(self, model: BaseModel, status_code: int = 200, **kwargs: Any) -> None:
        super().__init__(model.model_dump_json().encode(), status_code=status_code, **kwargs)
