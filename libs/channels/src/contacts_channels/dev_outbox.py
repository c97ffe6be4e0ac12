"""The development channel: each message goes to a JSON-lines file and to the log.

A person running the platform locally reads what would have been sent in ``messages.jsonl``
(one JSON object a line: ``delivery_id``, ``channel``, ``kind``, ``to``, ``text``, ``link``,
``written_at``) or in the ``dev_channel.message`` log line: an invitation's link, a sign-in
code's text. Never configure it in production: the links and codes it records are credentials
(``channels_from_settings`` refuses it there).
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path

import structlog

from .base import Message, SendResult, SmsContent

MESSAGES_FILE = "messages.jsonl"

log = structlog.get_logger(__name__)


def readable_text(message: Message) -> str:
    """What the recipient would read: the SMS, or the email's subject and plain-text body."""
    if isinstance(message.content, SmsContent):
        return message.content.text
    return f"Subject: {message.content.subject}\n\n{message.content.text}"


def dev_record(message: Message) -> dict[str, str | None]:
    """The JSON object written for ``message``; ``link`` is ``None`` when it has none."""
    return {
        "delivery_id": message.delivery_id,
        "channel": message.channel,
        "kind": message.kind,
        "to": message.to,
        "text": readable_text(message),
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
        log.info("dev_channel.message", **record, file=str(self.path))  # the same keys
        return SendResult(provider_message_id=f"dev-{message.delivery_id}")

    async def close(self) -> None:
        """Nothing to release: the file is opened for each message."""
