"""Tables for people keep what the next command takes whole, however narrow the terminal."""

from __future__ import annotations

import pytest
from contacts_cli.output import table
from rich.console import Console

pytestmark = pytest.mark.unit

INVITATION_ID = "51c0f2f4-1bf4-4fe4-9e1c-c08f5b914844"
PHONE = "+447400900459"


def rendered(width: int) -> str:
    rows = [(PHONE, "Someone with a rather long name", "sent (sms)", "1x", INVITATION_ID)]
    shown = table("1 pending invitation", ("to", "name", "status", "sent", "id"), rows)
    console = Console(width=width, record=True, color_system=None)
    console.print(shown)
    return console.export_text()


@pytest.mark.parametrize("width", [60, 80, 160])
def test_ids_and_numbers_are_never_cut_or_wrapped(width: int) -> None:
    text = rendered(width)
    assert INVITATION_ID in text
    assert PHONE in text


def test_a_pipe_gets_a_wide_console_unless_columns_says_otherwise(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from contacts_cli.output import PIPED_WIDTH, output

    monkeypatch.delenv("COLUMNS", raising=False)
    assert output(False).stdout.width == PIPED_WIDTH  # pytest's stdout is not a terminal
    monkeypatch.setenv("COLUMNS", "90")
    assert output(False).stdout.width == 90
