"""What every delivery channel shares: the message, the result and the two kinds of failure.

A :class:`Message` says what to send (an :class:`SmsContent` or an :class:`EmailContent`), to
whom, and under which id; the caller writes the words, a channel only carries them. A channel
sends one message and either returns a :class:`SendResult` or raises
:class:`PermanentFailure` (do not retry: a bad number, a refused address) or
:class:`TemporaryFailure` (retry later: 429, 5xx, network, a provider or configuration outage).
Anything else a channel raises is a bug.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

ChannelName = Literal["sms", "email"]


@dataclass(frozen=True)
class SmsContent:
    """The text of one SMS."""

    text: str


@dataclass(frozen=True)
class EmailContent:
    """One email: a one-line subject, a plain-text body and, optionally, an HTML body."""

    subject: str
    text: str
    html: str | None = None


@dataclass(frozen=True, kw_only=True)
class Message:
    """One message to send once.

    ``delivery_id`` is the caller's id for this attempt: the provider's idempotency key, so a
    retry of the same attempt reuses it. ``kind`` (``"invitation"``, ``"sign_in_code"``, ...)
    and ``link`` are not sent: they label the message in the development channel's records.
    """

    delivery_id: str
    to: str  # E.164 phone for an SMS, an email address for an email
    content: SmsContent | EmailContent
    kind: str = "message"
    link: str | None = None

    @property
    def channel(self) -> ChannelName:
        """``sms`` or ``email``, from the content."""
        return "sms" if isinstance(self.content, SmsContent) else "email"

    def sms(self) -> SmsContent:
        """The SMS content; a bug (``TypeError``) when this message is an email."""
        if not isinstance(self.content, SmsContent):
            raise TypeError(f"message {self.delivery_id} is an email, not an SMS")
        return self.content

    def email(self) -> EmailContent:
        """The email content; a bug (``TypeError``) when this message is an SMS."""
        if not isinstance(self.content, EmailContent):
            raise TypeError(f"message {self.delivery_id} is an SMS, not an email")
        return self.content


@dataclass(frozen=True)
class SendResult:
    """The provider accepted the message; its id (if it gave one) matches status callbacks."""

    provider_message_id: str | None


class DeliveryFailure(Exception):
    """The provider did not accept the message; ``reason_code`` is short and stable."""

    def __init__(self, reason_code: str, reason: str) -> None:
        super().__init__(f"{reason_code}: {reason}")
        self.reason_code = reason_code
        self.reason = reason


class PermanentFailure(DeliveryFailure):
    """Sending this message again will not help (invalid number, recipient refused)."""


class TemporaryFailure(DeliveryFailure):
    """Try again later, after ``retry_after`` seconds when the provider said so."""

    def __init__(self, reason_code: str, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason_code, reason)
        self.retry_after = retry_after


class Channel(Protocol):
    """Sends one message; ``name`` names the provider (``smtp``, ``sms_http``, ``dev``)."""

    name: str

    async def send(self, message: Message) -> SendResult:
        """Send ``message``; raise :class:`PermanentFailure` or :class:`TemporaryFailure`."""
        ...

    async def close(self) -> None:
        """Release connections; the channel is not used afterwards."""
        ...
