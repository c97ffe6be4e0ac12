"""The development channel writes each message, its kind and its link to a file and to the log."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from contacts_channels import DevChannel, EmailContent, Message, SmsContent
from structlog.testing import capture_logs

pytestmark = pytest.mark.unit

LINK = "http://localhost:8004/invite/tok"


def invitation_sms(delivery_id: str) -> Message:
    text = f"Ana invited you to Contacts: {LINK}"
    return Message(delivery_id=delivery_id, to="+33612345678", content=SmsContent(text),
                   kind="invitation", link=LINK)  # fmt: skip


def invitation_email(delivery_id: str) -> Message:
    content = EmailContent("Ana invited you to Contacts", f"Accept: {LINK}\n", f"<a>{LINK}</a>")
    return Message(delivery_id=delivery_id, to="bruno@example.com", content=content,
                   kind="invitation", link=LINK)  # fmt: skip


def code_sms(delivery_id: str) -> Message:
    content = SmsContent("Your Contacts sign-in code is 482913")
    return Message(delivery_id=delivery_id, to="+33612345678", content=content, kind="sign_in_code")


def records(folder: Path) -> list[dict[str, str | None]]:
    lines = (folder / "messages.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


async def test_each_message_is_one_json_line_with_its_kind_and_link(tmp_path: Path) -> None:
    channel = DevChannel(tmp_path / "dev")  # created when missing
    first = await channel.send(invitation_sms("d1"))
    second = await channel.send(invitation_email("d2"))
    await channel.close()
    written = records(tmp_path / "dev")
    assert [(r["delivery_id"], r["channel"], r["kind"], r["to"]) for r in written] == [
        ("d1", "sms", "invitation", "+33612345678"),
        ("d2", "email", "invitation", "bruno@example.com"),
    ]
    assert [r["link"] for r in written] == [LINK, LINK]
    assert written[0]["text"] == f"Ana invited you to Contacts: {LINK}"
    assert written[1]["text"] == f"Subject: Ana invited you to Contacts\n\nAccept: {LINK}\n"
    assert all(r["written_at"] for r in written)
    assert (first.provider_message_id, second.provider_message_id) == ("dev-d1", "dev-d2")


async def test_a_code_is_recorded_with_its_text_and_no_link(tmp_path: Path) -> None:
    await DevChannel(tmp_path).send(code_sms("d5"))
    [record] = records(tmp_path)
    assert (record["kind"], record["link"]) == ("sign_in_code", None)
    assert record["text"] == "Your Contacts sign-in code is 482913"


async def test_each_message_is_logged_with_its_kind_link_and_text(tmp_path: Path) -> None:
    with capture_logs() as logs:
        await DevChannel(tmp_path).send(invitation_sms("d3"))
        await DevChannel(tmp_path).send(code_sms("d4"))
    invitation, code = [e for e in logs if e["event"] == "dev_channel.message"]
    assert (invitation["kind"], invitation["link"]) == ("invitation", LINK)
    assert (invitation["channel"], invitation["to"], invitation["delivery_id"]) == (
        "sms", "+33612345678", "d3",
    )  # fmt: skip
    assert (code["kind"], code["link"]) == ("sign_in_code", None)
    assert "482913" in code["text"]


async def test_messages_are_appended_to_an_existing_file(tmp_path: Path) -> None:
    (tmp_path / "messages.jsonl").write_text('{"earlier": true}\n', encoding="utf-8")
    await DevChannel(tmp_path).send(code_sms("d6"))
    assert len((tmp_path / "messages.jsonl").read_text(encoding="utf-8").splitlines()) == 2
