"""Where one-time codes leave the directory: the platform's SMS and email channels."""

from __future__ import annotations

import math
import uuid
from typing import Protocol

from contacts_channels import (
    Channels,
    EmailContent,
    Message,
    PermanentFailure,
    SmsContent,
    TemporaryFailure,
)
from contacts_servicekit.domain_errors import Refused, Unavailable

from directory_service.domain.code_messages import CodeMessage
from directory_service.domain.one_time_codes import Purpose


class CodeSender(Protocol):
    async def send(self, message: CodeMessage) -> None:
        """Hand ``message`` to its channel, or raise ``Unavailable`` (try later) or ``Refused``
        (this destination cannot receive it)."""
        ...


class ChannelCodeSender:
    """Sends codes through the platform's channels (``contacts_channels``): by SMS, or by email
    when the message has a subject. The development channel writes them where a developer
    reads them (``messages.jsonl``, kind ``sign_in_code`` / ``verification_code``)."""

    def __init__(self, channels: Channels) -> None:
        self._channels = channels

    async def send(self, message: CodeMessage) -> None:
        content = (
            SmsContent(message.text)
            if message.subject is None
            else EmailContent(message.subject, message.text)
        )
        outgoing = Message(
            delivery_id=str(uuid.uuid4()), to=message.to, content=content,
            kind=_KINDS[message.purpose],
        )  # fmt: skip
        field = "phone" if isinstance(content, SmsContent) else "email"
        try:
            await self._channels.get(outgoing.channel).send(outgoing)
        except TemporaryFailure as failure:
            wait = math.ceil(failure.retry_after or DEFAULT_RETRY_SECONDS)
            raise Unavailable(
                "delivery_unavailable",
                f"The code could not be sent just now; try again in {wait} s.",
                wait,
                field,
            ) from None
        except PermanentFailure as failure:
            raise Refused(
                "destination_unreachable",
                f"The code cannot be sent to this {field} ({failure.reason}).",
                field,
            ) from None


DEFAULT_RETRY_SECONDS = 30
_KINDS = {
    Purpose.SIGN_IN: "sign_in_code",
    Purpose.VERIFY_PHONE: "verification_code",
    Purpose.VERIFY_EMAIL: "verification_code",
}
