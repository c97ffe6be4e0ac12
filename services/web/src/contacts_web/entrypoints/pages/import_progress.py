"""`GET /imports/{id}/progress/stream`: an import's progress, live, for the statuses page.

A browser's EventSource cannot send the bearer token the importer's stream asks for, so the
page opens this same-origin address with its session cookie, and the web app re-emits the
typed client's stream (`imports.watch`) as `text/event-stream`, each event carrying the words
and numbers the page shows (progress_words.py), up to the final one.

Each open relay holds one connection to the importer, so none outlives its use: a browser
that goes away ends it at once (sse-starlette cancels the relay on disconnect, which closes
the importer's stream); a relay lasts at most STREAM_SECONDS (the EventSource then opens a
new one); at most MAX_STREAMS are open at once in a process (more get 503, and the page
falls back to asking every few seconds)."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from uuid import UUID

import anyio
import structlog
from contacts_client import ImportProgress
from fastapi import APIRouter, Depends, HTTPException
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.background import BackgroundTask

from contacts_web.entrypoints.browser.csrf import csrf_protected
from contacts_web.entrypoints.signed_in import SignedInDep
from contacts_web.entrypoints.words.progress_words import progress_payload

router = APIRouter(dependencies=[Depends(csrf_protected)], include_in_schema=False)
log = structlog.get_logger(__name__)
STREAM_SECONDS = 300.0
MAX_STREAMS = 100
HEARTBEAT_SECONDS = 15.0  # a comment line, so that proxies keep a quiet stream open
RETRY_MS = 1000  # how soon the EventSource opens a new relay after one ends
CLOSE_SECONDS = 5.0


@dataclass
class OpenStreams:
    """How many relays are open in this process, up to `limit`."""

    limit: int
    open: int = 0

    def take(self) -> bool:
        if self.open >= self.limit:
            return False
        self.open += 1
        return True

    def give_back(self) -> None:
        self.open -= 1


streams = OpenStreams(MAX_STREAMS)


@router.get("/imports/{import_id}/progress/stream")
async def progress_stream(user: SignedInDep, import_id: UUID) -> EventSourceResponse:
    if not streams.take():
        raise HTTPException(503, "Too many progress streams are open; the page asks instead.")
    relay = Relay(import_id, user.platform.imports.watch(import_id))
    try:
        first = await anext(relay.events)  # opened here: a refusal (404...) is a page
    except BaseException:
        await relay.close("refused")
        raise
    return EventSourceResponse(
        relay.relayed(first), ping=HEARTBEAT_SECONDS, headers={"Cache-Control": "no-store"},
        background=BackgroundTask(relay.close, "not_started"),  # a HEAD, or gone at once
    )  # fmt: skip


@dataclass
class Relay:
    """One browser's relay of the importer's stream `events`; closed once, however it ends."""

    import_id: UUID
    events: AsyncIterator[ImportProgress]
    sent: int = 0
    closed: bool = False

    async def relayed(self, first: ImportProgress) -> AsyncIterator[ServerSentEvent]:
        """`first`, then each event, up to the final one or STREAM_SECONDS."""
        deadline = time.monotonic() + STREAM_SECONDS
        ended = "client_left"  # unless it ends another way below
        try:
            progress: ImportProgress | None = first
            while progress is not None:
                yield _event(progress, retry=RETRY_MS if self.sent == 0 else None)
                self.sent += 1
                if progress.finished:
                    ended = "final"
                    return
                progress = await _next(self.events, deadline - time.monotonic())
            ended = "time_limit"
        finally:
            await self.close(ended)

    async def close(self, ended: str) -> None:
        """The importer's stream closed now (its connection goes back), the slot given back."""
        if self.closed:
            return
        self.closed = True
        streams.give_back()
        close = getattr(self.events, "aclose", None)  # an async generator's
        if close is not None:
            with anyio.move_on_after(CLOSE_SECONDS, shield=True):  # also when cancelled
                await close()
        log.info("web.progress_relay_ended", import_id=str(self.import_id), events=self.sent,
                 ended=ended)  # fmt: skip


async def _next(events: AsyncIterator[ImportProgress], seconds: float) -> ImportProgress | None:
    """The next event within `seconds`; None when there is none (time out, or stream end).
    The wait is cancelled in this task, inside the client's stream, which then closes."""
    with anyio.move_on_after(seconds):
        try:
            return await anext(events)
        except StopAsyncIteration:
            return None
    return None


def _event(progress: ImportProgress, retry: int | None) -> ServerSentEvent:
    kind = "end" if progress.finished else "progress"
    return ServerSentEvent(json.dumps(progress_payload(progress)), event=kind, retry=retry)
