"""The platform's SMS and email delivery channels: how one message is sent.

A caller builds a :class:`Message` (whom to, under which id, an :class:`SmsContent` or an
:class:`EmailContent`) and hands it to a channel (:class:`HttpSmsChannel`, :class:`SmtpChannel`
or the development :class:`DevChannel`), which returns a :class:`SendResult` or raises
:class:`PermanentFailure` or :class:`TemporaryFailure`. No database and no Kafka here:
queueing, retries and rate limits are the caller's, and so are the words of each message.
"""

from .base import (
    Channel,
    ChannelName,
    DeliveryFailure,
    EmailContent,
    Message,
    PermanentFailure,
    SendResult,
    SmsContent,
    TemporaryFailure,
)
from .dev_outbox import DevChannel
from .factory import Channels, ChannelSettings, channels_from_settings
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
    "EmailContent",
    "HttpSmsChannel",
    "InvalidStatusCallback",
    "Message",
    "PermanentFailure",
    "SendResult",
    "SmsContent",
    "SmtpChannel",
    "StatusUpdate",
    "TemporaryFailure",
    "channels_from_settings",
    "is_valid_signature",
    "parse_status_callback",
]
