"""The development channel: each message goes to a JSON-lines file and to the log.

A person running the platform locally follows an invite by reading ``messages.jsonl`` (one JSON
object a line: delivery id, channel, destination, text, link, time) or the
``invitation.dev_message`` log line, which carries the link. Never configure it in production:
the links it records are credentials for the invitation.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path

import structlog

from .base import Message, SendResult
from .render import email_subject, email_text, sms_text

MESSAGES_FILE = "messages.jsonl"

log = structlog.get_logger(__name__)


def dev_record(message: Message) -> dict[str, str]:
    """The JSON object written for ``message``: what the invitee would have received."""
    if message.channel == "sms":
        text = sms_text(message)
    else:
        text = f"Subject: {email_subject(message)}\n\n{email_text(message)}"
    return {
        "delivery_id": message.delivery_id,
        "channel": message.channel,
        "to": message.to,
        "text": text,
        "link": message.link,
        "written_at": datetime.now(UTC).isoformat(),
    }


def _append_line(path: Path, line: str) -> None:
    """Append one line (created with its folder when missing) in a single write."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as file:
        file.write(line + "\n")


class DevChannel:
    """Writes messages to ``folder/messages.jsonl`` and logs them instead of sending them."""

    name: str = "dev"

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / MESSAGES_FILE
        self._lock = asyncio.Lock()

    async def send(self, message: Message) -> SendResult:
        """Record ``message``; its provider id is ``dev-{delivery_id}``."""
        record = dev_record(message)
        async with self._lock:
            await asyncio.to_thread(_append_line, self.path, json.dumps(record, ensure_ascii=False))
        log.info(
            "invitation.dev_message",
            delivery_id=message.delivery_id,
            channel=message.channel,
            to=message.to,
            link=message.link,
            file=str(self.path),
        )
        return SendResult(provider_message_id=f"dev-{message.delivery_id}")

    async def close(self) -> None:
        """Nothing to release: the file is opened for each message."""
