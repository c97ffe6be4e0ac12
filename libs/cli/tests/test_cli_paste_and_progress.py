"""Pasted numbers each get their status in words (colour only repeats them); the progress
of an import printed as plain lines when the output is not a terminal."""

from __future__ import annotations

import io

import httpx
import pytest
from contacts_cli.progress import ProgressView, Snapshot
from contacts_cli.token_store import StoredSession
from rich.console import Console

from .conftest import Run
from .fake_api import IMPORT_ID, FakeApi, events, import_record

pytestmark = pytest.mark.unit
IMPORT = f"/v1/imports/{IMPORT_ID}"


def row(number: int, raw: str, status: str, reason: str | None = None) -> dict[str, object]:
    return {
        "row_number": number, "raw_phone": raw, "phone_e164": None, "display_name": None,
        "first_name": None, "last_name": None, "email": None, "country": None,
        "status": status, "reason_code": None, "reason": reason, "matched_user_id": None,
    }  # fmt: skip


def test_each_pasted_number_shows_its_status_in_words(
    run: Run, api: FakeApi, signed_in: StoredSession
) -> None:
    counts = {"ready_to_invite": 1, "invalid": 1, "duplicate_in_import": 1}
    done = import_record("completed", source="pasted", total_rows=3, counts=counts)
    api.on("POST", "/v1/imports/pasted", httpx.Response(201, json=import_record("validating")))
    api.on("GET", f"{IMPORT}/progress", events({"state": "completed", "rows_done": 3}))
    api.on("GET", IMPORT, httpx.Response(200, json=done))
    api.on("GET", f"{IMPORT}/rows", httpx.Response(200, json={"next_cursor": None, "items": [
        row(1, "+44 7400 123456", "ready_to_invite"),
        row(2, "0800 123 456", "invalid", "A toll-free number cannot take an SMS."),
        row(3, "+447400123456", "duplicate_in_import"),
    ]}))  # fmt: skip

    result = run("paste", "+44 7400 123456, 0800 123 456; +447400123456", "--region", "GB")

    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any("+44 7400 123456" in line and "ready to invite" in line for line in lines)
    assert any("0800 123 456" in line and "invalid" in line and "toll-free" in line
               for line in lines)  # fmt: skip
    assert any("duplicate in this list" in line for line in lines)
    assert "\x1b[" not in result.stdout  # no colour codes off a terminal: the words carry it


def test_off_a_terminal_the_progress_is_plain_lines_with_counts_and_percentages() -> None:
    written = io.StringIO()
    console = Console(file=written, force_terminal=False, width=120)

    with ProgressView(console, line_every=float("inf")) as view:
        view.show(Snapshot("validating", 5_000, 10_000))
        view.show(Snapshot("validating", 6_000, 10_000))  # same status, too soon: not printed
        view.show(Snapshot("completed", 10_000, 10_000))

    lines = written.getvalue().splitlines()
    assert lines[0].startswith("validating: 5,000/10,000 rows (50%)")
    assert lines[-1].startswith("completed: 10,000/10,000 rows (100%)")
    assert len(lines) == 2


def test_on_a_terminal_the_progress_is_a_live_bar_with_rows_rate_and_time_left() -> None:
    written = io.StringIO()
    console = Console(file=written, force_terminal=True, width=120)

    with ProgressView(console) as view:
        view.show(Snapshot("validating", 1_000, 4_000))
        view.show(Snapshot("validating", 4_000, 4_000))

    drawn = written.getvalue()
    assert view.live
    assert "4,000/4,000 rows" in drawn
    assert "rows/s" in drawn
    assert "validating" in drawn
