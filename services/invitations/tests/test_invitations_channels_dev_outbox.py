"""The development channel writes each message and its link to a file and to the log."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from invitations_service.adapters.channels import DevChannel, Message
from structlog.testing import capture_logs

pytestmark = pytest.mark.unit


def message(delivery_id: str, channel: str, to: str) -> Message:
    return Message(delivery_id, channel, to, "Ana", "Bruno", f"http://localhost:8004/i/{delivery_id}",  # type: ignore[arg-type]
                   datetime(2025, 7, 1, tzinfo=UTC))  # fmt: skip


async def test_each_message_is_one_json_line_with_its_link(tmp_path: Path) -> None:
    channel = DevChannel(tmp_path / "dev")  # created when missing
    first = await channel.send(message("d1", "sms", "+33612345678"))
    second = await channel.send(message("d2", "email", "bruno@example.com"))
    await channel.close()
    lines = (tmp_path / "dev" / "messages.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [(r["delivery_id"], r["channel"], r["to"]) for r in records] == [
        ("d1", "sms", "+33612345678"),
        ("d2", "email", "bruno@example.com"),
    ]
    for record in records:
        assert record["link"] == f"http://localhost:8004/i/{record['delivery_id']}"
        assert record["link"] in record["text"]
    assert records[1]["text"].startswith("Subject: Ana invited you to Contacts\n")
    assert (first.provider_message_id, second.provider_message_id) == ("dev-d1", "dev-d2")


async def test_each_message_is_logged_with_its_link(tmp_path: Path) -> None:
    with capture_logs() as logs:
        await DevChannel(tmp_path).send(message("d3", "sms", "+33612345678"))
    [entry] = [e for e in logs if e["event"] == "invitation.dev_message"]
    assert entry["link"] == "http://localhost:8004/i/d3"
    assert (entry["channel"], entry["to"], entry["delivery_id"]) == ("sms", "+33612345678", "d3")


async def test_messages_are_appended_to_an_existing_file(tmp_path: Path) -> None:
    (tmp_path / "messages.jsonl").write_text('{"earlier": true}\n', encoding="utf-8")
    await DevChannel(tmp_path).send(message("d4", "sms", "+33612345678"))
    assert len((tmp_path / "messages.jsonl").read_text(encoding="utf-8").splitlines()) == 2
