"""SMS through a Twilio-style HTTP provider.

``POST {base_url}/2010-04-01/Accounts/{sid}/Messages.json`` with the form fields ``To``,
``From``, ``Body`` (and ``StatusCallback`` when configured), HTTP basic auth and the delivery
id as idempotency key (``Idempotency-Key`` and Twilio's ``I-Twilio-Idempotency-Token``), so a
retry of the same attempt is not sent twice by a provider that honours it.

Answers: 2xx (201) -> the provider's ``sid``; 408, 429 and 5xx -> :class:`TemporaryFailure`
(after ``Retry-After`` when given); 401/403 (our credentials) -> temporary too, so messages
are not failed while the set-up is broken; other 4xx (``21211`` invalid ``To``...) ->
:class:`PermanentFailure` with the provider's code and message; network errors and timeouts ->
temporary.

The client is aiohttp, one session kept for the channel's life (kept-alive connections, as
many as the worker's concurrent sends): a send costs about a tenth of the CPU httpx took
(bench/INVITATIONS.md, issue 18), which is what lets one worker send 1,000 a second.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlencode

import aiohttp

from .base import DeliveryFailure, Message, PermanentFailure, SendResult, TemporaryFailure

_RETRYABLE_STATUSES = frozenset({408, 425, 429})
_CREDENTIAL_STATUSES = frozenset({401, 403})
MAX_REASON_CHARS = 300


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` in seconds (delay or HTTP date); ``None`` when absent or unreadable."""
    if not value or not value.strip():
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


@dataclass(frozen=True)
class ProviderAnswer:
    """What the provider answered: status, reason phrase, ``Retry-After`` and body bytes."""

    status: int
    reason: str | None
    retry_after: str | None
    body: bytes

    @property
    def is_success(self) -> bool:
        return 200 <= self.status < 300

    def json_object(self) -> dict[str, Any]:
        """The body's JSON object, or ``{}`` when it has none."""
        try:
            body = json.loads(self.body)
        except ValueError:
            return {}
        return body if isinstance(body, dict) else {}


def _provider_error(answer: ProviderAnswer) -> tuple[str, str]:
    """``(reason_code, reason)`` from a Twilio-style error body (``code``, ``message``)."""
    body = answer.json_object()
    code = body.get("code")
    reason_code = f"provider_{code}" if code is not None else f"http_{answer.status}"
    message = body.get("message") or answer.reason or "refused by the SMS provider"
    return reason_code, f"{answer.status}: {message}"[:MAX_REASON_CHARS]


def sms_failure(answer: ProviderAnswer) -> DeliveryFailure:
    """The failure a non-2xx answer from the provider means."""
    status = answer.status
    reason_code, reason = _provider_error(answer)
    if status in _RETRYABLE_STATUSES or status >= 500:
        return TemporaryFailure(reason_code, reason, retry_after_seconds(answer.retry_after))
    if status in _CREDENTIAL_STATUSES:
        return TemporaryFailure("provider_auth_failed", reason)
    if 400 <= status < 500:
        return PermanentFailure(reason_code, reason)
    return TemporaryFailure(f"http_{status}", f"unexpected answer {status} from the SMS provider")


class HttpSmsChannel:
    """Sends SMS through a Twilio-style API, over one shared aiohttp session with
    ``max_connections`` kept-alive connections (as many as the worker's concurrent sends),
    opened on the first send (a session belongs to the event loop that runs it)."""

    name: str = "sms_http"

    def __init__(
        self,
        base_url: str,
        account_sid: str,
        auth_token: str,
        sender_id: str,
        timeout: float = 10,
        status_callback_url: str | None = None,
        max_connections: int = 20,
    ) -> None:
        self.sender_id = sender_id
        self.status_callback_url = status_callback_url
        self._url = f"{base_url.rstrip('/')}/2010-04-01/Accounts/{account_sid}/Messages.json"
        self._headers = {
            "Accept": "application/json",
            "Authorization": aiohttp.encode_basic_auth(account_sid, auth_token),
            "Content-Type": "application/x-www-form-urlencoded",
        }
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._max_connections = max_connections
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None:
            connector = aiohttp.TCPConnector(limit=self._max_connections)
            self._session = aiohttp.ClientSession(
                connector=connector, timeout=self._timeout, headers=self._headers
            )
        return self._session

    def _form(self, message: Message) -> bytes:
        form = {"To": message.to, "From": self.sender_id, "Body": message.sms().text}
        if self.status_callback_url:
            form["StatusCallback"] = self.status_callback_url
        return urlencode(form).encode()

    async def _post(self, message: Message) -> ProviderAnswer:
        headers = {
            "Idempotency-Key": message.delivery_id,
            "I-Twilio-Idempotency-Token": message.delivery_id,
        }
        form = self._form(message)  # before the request: an email is refused unsent
        try:
            async with self._client().post(self._url, data=form, headers=headers) as response:
                body = await response.read()
        except TimeoutError as error:  # aiohttp's timeouts are TimeoutErrors
            raise TemporaryFailure("provider_timeout", str(error) or "timed out") from error
        except aiohttp.ClientError as error:
            raise TemporaryFailure(
                "provider_unreachable", str(error) or type(error).__name__
            ) from error
        retry_after = response.headers.get("Retry-After")
        return ProviderAnswer(response.status, response.reason, retry_after, body)

    async def send(self, message: Message) -> SendResult:
        """Post the message; return the provider's sid or raise a delivery failure."""
        answer = await self._post(message)
        if answer.is_success:
            sid = answer.json_object().get("sid")
            return SendResult(provider_message_id=sid if isinstance(sid, str) and sid else None)
        raise sms_failure(answer)

    async def close(self) -> None:
        """Close the shared session (its connections)."""
        if self._session is not None:
            await self._session.close()
            self._session = None
