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
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

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


def _json_body(response: httpx.Response) -> dict[str, Any]:
    """The response's JSON object, or ``{}`` when it has none."""
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _provider_error(response: httpx.Response) -> tuple[str, str]:
    """``(reason_code, reason)`` from a Twilio-style error body (``code``, ``message``)."""
    body = _json_body(response)
    code = body.get("code")
    reason_code = f"provider_{code}" if code is not None else f"http_{response.status_code}"
    message = body.get("message") or response.reason_phrase or "refused by the SMS provider"
    return reason_code, f"{response.status_code}: {message}"[:MAX_REASON_CHARS]


def sms_failure(response: httpx.Response) -> DeliveryFailure:
    """The failure a non-2xx answer from the provider means."""
    status = response.status_code
    reason_code, reason = _provider_error(response)
    if status in _RETRYABLE_STATUSES or status >= 500:
        retry_after = retry_after_seconds(response.headers.get("Retry-After"))
        return TemporaryFailure(reason_code, reason, retry_after)
    if status in _CREDENTIAL_STATUSES:
        return TemporaryFailure("provider_auth_failed", reason)
    if 400 <= status < 500:
        return PermanentFailure(reason_code, reason)
    return TemporaryFailure(f"http_{status}", f"unexpected answer {status} from the SMS provider")


class HttpSmsChannel:
    """Sends SMS through a Twilio-style API, over one shared HTTP client with
    ``max_connections`` connections (as many as the worker's concurrent sends)."""

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
        self._path = f"/2010-04-01/Accounts/{account_sid}/Messages.json"
        self._client = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            auth=httpx.BasicAuth(account_sid, auth_token),
            timeout=timeout,
            headers={"Accept": "application/json"},
            limits=httpx.Limits(  # one kept-alive connection per concurrent send
                max_connections=max_connections, max_keepalive_connections=max_connections
            ),
        )

    def _form(self, message: Message) -> dict[str, str]:
        form = {"To": message.to, "From": self.sender_id, "Body": message.sms().text}
        if self.status_callback_url:
            form["StatusCallback"] = self.status_callback_url
        return form

    async def send(self, message: Message) -> SendResult:
        """Post the message; return the provider's sid or raise a delivery failure."""
        headers = {
            "Idempotency-Key": message.delivery_id,
            "I-Twilio-Idempotency-Token": message.delivery_id,
        }
        try:
            response = await self._client.post(
                self._path, data=self._form(message), headers=headers
            )
        except httpx.TimeoutException as error:
            raise TemporaryFailure("provider_timeout", str(error) or "timed out") from error
        except httpx.HTTPError as error:
            raise TemporaryFailure(
                "provider_unreachable", str(error) or type(error).__name__
            ) from error
        if response.is_success:
            sid = _json_body(response).get("sid")
            return SendResult(provider_message_id=sid if isinstance(sid, str) and sid else None)
        raise sms_failure(response)

    async def close(self) -> None:
        """Close the shared HTTP client."""
        await self._client.aclose()
