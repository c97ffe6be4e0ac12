"""A fake of the services' HTTP answers for the tool's unit tests: an ``httpx.MockTransport``
handler answering by method and path, keeping every request it was sent."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

Answer = httpx.Response | Callable[[httpx.Request], httpx.Response]


def problem(status: int, error: str, detail: str, field: str | None = None) -> httpx.Response:
    """An RFC 9457 refusal as the services send them."""
    body = {
        "type": f"urn:contacts:error:{error}", "title": httpx.codes.get_reason_phrase(status),
        "status": status, "detail": detail, "error": error, "field": field,
    }  # fmt: skip
    return httpx.Response(status, json=body, headers={"content-type": "application/problem+json"})


def events(*data: dict[str, Any]) -> httpx.Response:
    """A server-sent event stream of these JSON events: `progress`, and `end` for a final
    state, as the importer sends them."""
    final = {"completed", "failed", "replaced"}
    body = "".join(
        f"event: {'end' if d['state'] in final else 'progress'}\ndata: {json.dumps(d)}\n\n"
        for d in data
    )
    return httpx.Response(200, text=body, headers={"content-type": "text/event-stream"})


@dataclass
class FakeApi:
    """Answers by (method, path); every request is kept, to check what the tool sent."""

    answers: dict[tuple[str, str], list[Answer]] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)

    def on(self, method: str, path: str, *answers: Answer) -> None:
        """Answer the next requests to ``path`` with ``answers`` in turn (the last repeats)."""
        self.answers[(method, path)] = list(answers)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        queued = self.answers.get((request.method, request.url.path))
        if not queued:
            return problem(404, "not_found", f"nothing at {request.url.path}")
        answer = queued.pop(0) if len(queued) > 1 else queued[0]
        return answer(request) if callable(answer) else answer

    def sent(self, method: str, path: str) -> list[httpx.Request]:
        return [r for r in self.requests if (r.method, r.url.path) == (method, path)]


IMPORT_ID = "5b0c7d3e-9f41-4a8e-b2d6-1e7f3a9c8d20"


def import_record(status: str, **fields: Any) -> dict[str, Any]:
    """An import as `GET /v1/imports/{id}` answers it."""
    record = {
        "import_id": IMPORT_ID, "source": "file", "filename": "people.csv", "status": status,
        "progress": 0.0, "total_rows": None, "counts": None, "headers": ["Name", "Mobile"],
        "sheets": [], "sheet": None, "mapping": {"phone": "Mobile", "display_name": "Name"},
        "default_region": "CH", "error": None, "created_at": "2026-12-01T10:00:00Z",
        "completed_at": None,
    }  # fmt: skip
    return {**record, **fields}
