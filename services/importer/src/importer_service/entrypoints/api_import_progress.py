"""/v1/imports/{id}/progress: an import's progress live, as Server-Sent Events (sse-starlette).

Each change is an event `progress` whose data is JSON: `state`, `total_rows`, `rows_parsed`
(first pass), `rows_done` (rows with their final status), `progress` (0..1), `counts` (per
status so far) and `error`. The final state (completed, failed, replaced) comes as an event
`end` with the same data, and the stream ends. While nothing changes, a comment line
(`: heartbeat`) keeps proxies from closing the connection. A client that disconnects stops
its stream at once. The progress is read from Postgres, so any importer instance can serve it.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import asdict
from typing import Any
from uuid import UUID

import structlog
from contacts_messaging.api import HostDep
from contacts_servicekit.web.requests import CallerDep, connection
from fastapi import APIRouter, Request
from sse_starlette import EventSourceResponse, ServerSentEvent

from importer_service.entrypoints.documented import problems
from importer_service.handlers import progress
from importer_service.handlers.imports import owned
from importer_service.settings import ImporterSettings

log = structlog.get_logger(__name__)
router = APIRouter(prefix="/v1/imports", tags=["imports"])
_STREAM: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Events `progress` as it changes, then `end` with the final state",
        "content": {"text/event-stream": {"schema": {"type": "string"}}},
    }
}


@router.get(
    "/{import_id}/progress", response_class=EventSourceResponse,
    responses={**_STREAM, **problems(404)},
)  # fmt: skip
async def stream_progress(
    import_id: UUID, request: Request, caller: CallerDep, host: HostDep
) -> EventSourceResponse:
    """The import's progress as Server-Sent Events (`text/event-stream`), until its final
    state; see the service README for the events."""
    async with connection(request) as conn:
        await owned(conn, caller.user_id, import_id)
    settings: ImporterSettings = request.app.state.host.settings
    changes = progress.changes(host.pool, import_id, settings.import_progress_poll_seconds)
    return EventSourceResponse(
        _events(import_id, changes), ping=settings.import_progress_heartbeat_seconds,
        ping_message_factory=lambda: ServerSentEvent(comment="heartbeat"),
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )  # fmt: skip


async def _events(
    import_id: UUID, changes: AsyncIterator[progress.Progress]
) -> AsyncIterator[ServerSentEvent]:
    """The events of `changes`; the stream's end is logged, also when the client left."""
    sent, final = 0, False
    try:
        async for now in changes:
            final = now.final
            yield ServerSentEvent(json.dumps(asdict(now)), event="end" if final else "progress")
            sent += 1
    finally:
        log.info("import.progress_stream_ended", import_id=str(import_id), events=sent,
                 client_left=not final)  # fmt: skip
