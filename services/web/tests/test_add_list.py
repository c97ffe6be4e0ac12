"""Adding contacts with a list, the parts that need no service: a list over the upload limit
sent back to its form (declared or streamed), the results' file names, the encodings offered,
the progress in the reader's words, the bounds on progress relays (how many, how long) and
the importer's stream closed however a relay ends."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from uuid import uuid4

import pytest
from contacts_client import ImportProgress
from contacts_web.domain.list_columns import ENCODINGS, encoding_choices
from contacts_web.domain.results_filename import MAX_STEM_CHARS, results_filename
from contacts_web.entrypoints.app import build_app
from contacts_web.entrypoints.pages import import_progress
from contacts_web.entrypoints.words import i18n
from contacts_web.entrypoints.words.progress_words import progress_payload
from contacts_web.settings import WebSettings
from fastapi.testclient import TestClient

pytestmark = pytest.mark.unit

LIMIT = 4096
REPLACED = "6b1c5a47-2ae3-4a9b-9e0e-1d1f7d0c9b7e"


def browser() -> TestClient:
    """The web app with a small upload limit; no database (the limit answers before it)."""
    return TestClient(build_app(WebSettings(upload_max_bytes=LIMIT)), follow_redirects=False)


def test_a_list_over_the_limit_goes_back_to_its_form_which_names_the_limit():
    sent = browser().post(
        f"/contacts/add/file?replaces={REPLACED}", files={"file": ("big.csv", b"x" * LIMIT)}
    )
    assert sent.status_code == 303
    assert sent.headers["location"] == f"/contacts/add/file?refused=too_large&replaces={REPLACED}"


def test_a_list_streamed_without_its_length_is_sent_back_as_soon_as_it_passes_the_limit():
    def chunks() -> Iterator[bytes]:
        yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n\r\n'
        yield from [b"x" * 1024] * (LIMIT // 1024 + 1)
        yield b"\r\n--b--\r\n"

    sent = browser().post(
        "/contacts/add/file",
        content=chunks(),
        headers={"Content-Type": "multipart/form-data; boundary=b"},
    )
    assert "content-length" not in sent.request.headers
    assert (sent.status_code, sent.headers["location"]) == (
        303,
        "/contacts/add/file?refused=too_large",
    )


def test_another_form_over_the_limit_is_still_the_page_in_words():
    sent = browser().post("/sign-in", data={"phone": "x" * 70_000})
    assert sent.status_code == 413 and "a form can send" in sent.text


@pytest.mark.parametrize(
    ("original", "saved"),
    [
        ("Team list.xlsx", "Team list-results.csv"),
        ("C:\\Users\\lea\\clients.2024.csv", "clients.2024-results.csv"),
        ('a"; filename=evil.exe\r\n.csv', "a_ filename_evil.exe-results.csv"),
        ("\u202ecod.exe.csv", "cod.exe-results.csv"),  # the right-to-left override dropped
        ("Prénoms 名前.ods", "Prénoms 名前-results.csv"),
        ("..csv", "contacts-results.csv"),
        (None, "contacts-results.csv"),
    ],
)
def test_the_results_are_named_after_the_list_safely(original, saved):
    assert results_filename(original, "csv") == saved


def test_a_long_name_is_cut():
    assert results_filename("x" * 500 + ".csv", "xlsx") == "x" * MAX_STEM_CHARS + "-results.xlsx"


def test_the_detected_encoding_is_offered_first_when_it_is_not_a_usual_one():
    assert encoding_choices("cp1252") == list(ENCODINGS)
    assert encoding_choices("mac-roman")[0] == ("mac-roman", None)
    assert encoding_choices(None) == list(ENCODINGS)


@contextmanager
def in_language(language: str) -> Iterator[None]:
    token = i18n._language.set(language)
    try:
        yield
    finally:
        i18n._language.reset(token)


@pytest.mark.parametrize(
    ("language", "rows", "count"),
    [("en", "42,000 of 100,000 rows checked", "39,100"),
     ("fr", "42\u202f000 lignes vérifiées sur 100\u202f000", "39\u202f100")],
)  # fmt: skip
def test_the_progress_in_the_readers_words_and_numbers(language, rows, count):
    progress = ImportProgress(
        state="validating", total_rows=100_000, rows_done=42_000, progress=0.7149,
        counts={"ready_to_invite": 39_100, "invalid": 0},
    )  # fmt: skip
    with in_language(language):
        payload = progress_payload(progress)
    assert payload["percent"] == 71 and payload["rows"] == rows
    assert payload["counts"] == {"ready_to_invite": count}  # statuses with rows only
    assert payload["final"] is False and payload["announce"] == ""


def test_the_final_event_says_the_import_is_done():
    done = ImportProgress(state="completed", total_rows=2, rows_done=2, progress=1.0, final=True)
    payload = progress_payload(done)
    assert payload["final"] is True and payload["percent"] == 100
    assert payload["announce"] == "Every number is checked. The statuses are loading."


def test_progress_relays_are_bounded():
    streams = import_progress.OpenStreams(limit=2)
    assert streams.take() and streams.take()
    assert not streams.take()
    streams.give_back()
    assert streams.take()


async def importer_stream(
    closed: list[str], *events: ImportProgress
) -> AsyncIterator[ImportProgress]:
    """The typed client's stream as the relay sees it: `events`, then nothing for a minute."""
    try:
        for event in events:
            yield event
        await asyncio.sleep(60)
    finally:
        closed.append("closed")


async def relayed(events: AsyncIterator[ImportProgress]) -> list[str]:
    """What a relay of `events` sends (its events' names), with its slot taken as the route
    takes it."""
    assert import_progress.streams.take()
    relay = import_progress.Relay(uuid4(), events)
    return [sent.event or "" async for sent in relay.relayed(await anext(events))]


async def test_a_relay_ends_after_its_time_closing_the_importers_stream(monkeypatch):
    monkeypatch.setattr(import_progress, "STREAM_SECONDS", 0.2)
    closed: list[str] = []
    open_before = import_progress.streams.open
    running = ImportProgress(state="validating", progress=0.1)
    assert await relayed(importer_stream(closed, running)) == ["progress"]
    assert closed == ["closed"] and import_progress.streams.open == open_before


async def test_a_relay_ends_with_the_final_event():
    closed: list[str] = []
    running = ImportProgress(state="validating", progress=0.5)
    done = ImportProgress(state="completed", progress=1.0, final=True)
    assert await relayed(importer_stream(closed, running, done)) == ["progress", "end"]
    assert closed == ["closed"]
