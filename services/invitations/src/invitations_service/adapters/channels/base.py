"""What every delivery channel shares: the message, the result and the two kinds of failure.

A channel sends one :class:`Message` and either returns a :class:`SendResult` or raises
:class:`PermanentFailure` (do not retry: a bad number, a refused address) or
:class:`TemporaryFailure` (retry later: 429, 5xx, network, a provider or configuration outage).
Anything else a channel raises is a bug.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

ChannelName = Literal["sms", "email"]


@dataclass(frozen=True)
class Message:
    """One invitation message to send once; ``delivery_id`` identifies this attempt."""

    delivery_id: str  # our id for this attempt: the provider's idempotency key
    channel: ChannelName
    to: str  # E.164 phone or email address
    inviter_name: str
    invitee_name: str | None
    link: str  # the invitation link (contains the token)
    expires_at: datetime


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
