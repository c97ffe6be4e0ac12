"""Delivery channels of the invitations service: how one invitation message is sent.

Each channel (:class:`SmtpChannel`, :class:`HttpSmsChannel`, :class:`DevChannel`) sends one
:class:`Message` and returns a :class:`SendResult` or raises :class:`PermanentFailure` or
:class:`TemporaryFailure`. No database and no Kafka here: queueing, retries and rate limits are
the caller's.
"""

from .base import (
    Channel,
    ChannelName,
    DeliveryFailure,
    Message,
    PermanentFailure,
    SendResult,
    TemporaryFailure,
)
from .dev_outbox import DevChannel
from .factory import Channels, ChannelSettings, channels_from_settings
from .render import email_parts, sms_text
from .sms_callback import (
    InvalidStatusCallback,
    StatusUpdate,
    is_valid_signature,
    parse_status_callback,
)
from .sms_http import HttpSmsChannel
from .smtp import SmtpChannel

__all__ = [
    "Channel",
    "ChannelName",
    "ChannelSettings",
    "Channels",
    "DeliveryFailure",
    "DevChannel",
    "HttpSmsChannel",
    "InvalidStatusCallback",
    "Message",
    "PermanentFailure",
    "SendResult",
    "SmtpChannel",
    "StatusUpdate",
    "TemporaryFailure",
    "channels_from_settings",
    "email_parts",
    "is_valid_signature",
    "parse_status_callback",
    "sms_text",
]
