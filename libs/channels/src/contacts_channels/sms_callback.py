"""The SMS provider's delivery-status callback: parse its form, check its signature.

Twilio posts ``application/x-www-form-urlencoded`` fields to the ``StatusCallback`` URL:
``MessageSid`` (or ``SmsSid``), ``MessageStatus`` (or ``SmsStatus``: ``queued``, ``sent``,
``delivered``, ``undelivered``, ``failed``...) and, on failure, ``ErrorCode``. It signs each
request in ``X-Twilio-Signature``: base64 HMAC-SHA1, keyed with the auth token, of the full URL
followed by every field name and value in name order. The endpoint should refuse unsigned or
wrongly signed callbacks (:func:`is_valid_signature`) before trusting them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Mapping
from typing import NamedTuple

DELIVERED_STATUSES = frozenset({"delivered", "read"})
FAILED_STATUSES = frozenset({"failed", "undelivered", "canceled"})
FINAL_STATUSES = DELIVERED_STATUSES | FAILED_STATUSES

_SID = re.compile(r"[A-Za-z0-9_\-]{1,64}")
_STATUS = re.compile(r"[a-z_]{1,32}")
_ERROR_CODE = re.compile(r"[A-Za-z0-9_\-]{1,16}")


class InvalidStatusCallback(ValueError):
    """The callback lacks a message id or a status, or holds unreadable values."""


class StatusUpdate(NamedTuple):
    """What the provider says about one message it accepted earlier."""

    provider_message_id: str
    status: str  # lower case: "delivered", "failed", "undelivered", "sent", ...
    error_code: str | None


def _first(form: Mapping[str, str], *names: str) -> str:
    """The first non-blank value among ``names``, stripped; ``""`` when none."""
    for name in names:
        value = (form.get(name) or "").strip()
        if value:
            return value
    return ""


def parse_status_callback(form: Mapping[str, str]) -> StatusUpdate:
    """``(provider_message_id, status, error_code | None)``; raise :class:`InvalidStatusCallback`."""
    sid = _first(form, "MessageSid", "SmsSid")
    status = _first(form, "MessageStatus", "SmsStatus").lower()
    error_code = _first(form, "ErrorCode") or None
    if not _SID.fullmatch(sid):
        raise InvalidStatusCallback("MessageSid is missing or not a message id")
    if not _STATUS.fullmatch(status):
        raise InvalidStatusCallback("MessageStatus is missing or not a status")
    if error_code is not None and not _ERROR_CODE.fullmatch(error_code):
        raise InvalidStatusCallback("ErrorCode is not an error code")
    return StatusUpdate(sid, status, error_code)


def expected_signature(url: str, form: Mapping[str, str], auth_token: str) -> str:
    """The ``X-Twilio-Signature`` the provider computes for a POST of ``form`` to ``url``."""
    payload = url + "".join(name + form[name] for name in sorted(form))
    digest = hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def is_valid_signature(
    url: str, form: Mapping[str, str], signature: str | None, auth_token: str
) -> bool:
    """Whether ``signature`` is the provider's signature of this callback (constant time)."""
    if not signature:
        return False
    return hmac.compare_digest(expected_signature(url, form, auth_token), signature)
