"""The SMS channel against a small Twilio-like HTTP server on 127.0.0.1 (http.server, a thread)."""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

import pytest
from contacts_channels import (
    EmailContent,
    HttpSmsChannel,
    Message,
    PermanentFailure,
    SmsContent,
    TemporaryFailure,
)
from contacts_channels.sms_http import retry_after_seconds

pytestmark = pytest.mark.integration

SID, TOKEN, SENDER = "AC0123456789abcdef", "secret-token", "+15005550006"
CALLBACK = "https://service.example.com/v1/sms/status"
TEXT = "Your Contacts code is 482913"


@dataclass
class Reply:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    form: dict[str, str]


class FakeProvider:
    """Records each request and answers with the scripted replies, then 201 with a new sid."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.replies: deque[Reply] = deque()
        self._lock = threading.Lock()

    def answer(self, request: Request) -> Reply:
        with self._lock:
            self.requests.append(request)
            if self.replies:
                return self.replies.popleft()
            sid = f"SM{len(self.requests):032x}"
            return Reply(201, {"sid": sid, "status": "queued", "to": request.form.get("To")})


class _Handler(BaseHTTPRequestHandler):
    server: _ProviderServer

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        form = dict(parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))
        reply = self.server.provider.answer(Request(self.path, dict(self.headers), form))
        time.sleep(reply.delay)
        payload = json.dumps(reply.body).encode()
        self.send_response(reply.status)
        for name, value in {"Content-Type": "application/json", **reply.headers}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass


class _ProviderServer(ThreadingHTTPServer):
    daemon_threads = True
    provider: FakeProvider

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet when a client hung up (the timeout test does)."""


@pytest.fixture
def provider() -> Iterator[tuple[FakeProvider, str]]:
    server = _ProviderServer(("127.0.0.1", 0), _Handler)
    server.provider = FakeProvider()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server.provider, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def sms(delivery_id: str = "delivery-1", to: str = "+33612345678") -> Message:
    return Message(delivery_id=delivery_id, to=to, content=SmsContent(TEXT), kind="sign_in_code")


def channel(base_url: str, timeout: float = 5) -> HttpSmsChannel:
    return HttpSmsChannel(base_url, SID, TOKEN, SENDER, timeout, status_callback_url=CALLBACK)


@pytest.fixture
async def sender(provider) -> AsyncIterator[HttpSmsChannel]:
    """A channel to the fake provider, closed after the test."""
    sms_channel = channel(provider[1])
    yield sms_channel
    await sms_channel.close()


async def test_a_message_is_posted_with_auth_form_and_idempotency_key(provider, sender) -> None:
    fake = provider[0]
    result = await sender.send(sms())
    [request] = fake.requests
    assert request.path == f"/2010-04-01/Accounts/{SID}/Messages.json"
    assert (
        request.headers["Authorization"]
        == "Basic " + base64.b64encode(f"{SID}:{TOKEN}".encode()).decode()
    )
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert request.headers["Idempotency-Key"] == "delivery-1"
    assert request.headers["I-Twilio-Idempotency-Token"] == "delivery-1"
    assert request.form == {
        "To": "+33612345678",
        "From": SENDER,
        "Body": TEXT,
        "StatusCallback": CALLBACK,
    }
    assert result.provider_message_id == f"SM{1:032x}"


async def test_a_500_then_201_is_one_retry_with_the_same_idempotency_key(provider, sender) -> None:
    fake = provider[0]
    fake.replies.append(Reply(500, {"code": 20500, "message": "Internal Server Error"}))
    with pytest.raises(TemporaryFailure) as raised:
        await sender.send(sms())
    result = await sender.send(sms())  # the caller retries the same attempt
    assert raised.value.reason_code == "provider_20500"
    assert raised.value.retry_after is None
    assert result.provider_message_id == f"SM{2:032x}"
    assert [r.headers["Idempotency-Key"] for r in fake.requests] == ["delivery-1"] * 2


@pytest.mark.parametrize(
    ("retry_after", "expected"), [("7", 7.0), ("0.5", 0.5), ("soon", None), (None, None)]
)
async def test_429_is_temporary_and_carries_retry_after(
    provider, sender, retry_after: str | None, expected: float | None
) -> None:
    fake = provider[0]
    headers = {"Retry-After": retry_after} if retry_after else {}
    fake.replies.append(Reply(429, {"code": 20429, "message": "Too Many Requests"}, headers))
    with pytest.raises(TemporaryFailure) as raised:
        await sender.send(sms())
    assert raised.value.retry_after == expected
    assert raised.value.reason_code == "provider_20429"


async def test_an_invalid_number_is_a_permanent_failure_with_the_providers_words(
    provider, sender
) -> None:
    fake = provider[0]
    words = "The 'To' number +3361 is not a valid phone number."
    fake.replies.append(Reply(400, {"code": 21211, "message": words, "status": 400}))
    with pytest.raises(PermanentFailure) as raised:
        await sender.send(sms(to="+3361"))
    assert raised.value.reason_code == "provider_21211"
    assert words in raised.value.reason


@pytest.mark.parametrize(
    ("status", "failure", "reason_code"),
    [
        (401, TemporaryFailure, "provider_auth_failed"),
        (404, PermanentFailure, "http_404"),
        (503, TemporaryFailure, "http_503"),
    ],
)
async def test_other_answers_are_mapped(
    provider, sender, status: int, failure: type[Exception], reason_code: str
) -> None:
    fake = provider[0]
    fake.replies.append(Reply(status, {}))
    with pytest.raises(failure) as raised:
        await sender.send(sms())
    assert raised.value.reason_code == reason_code  # type: ignore[attr-defined]


async def test_a_provider_that_does_not_answer_in_time_is_temporary(provider) -> None:
    fake, url = provider
    fake.replies.append(Reply(201, {"sid": "SMlate"}, delay=1.0))
    sender = channel(url, timeout=0.2)
    try:
        with pytest.raises(TemporaryFailure) as raised:
            await sender.send(sms())
    finally:
        await sender.close()
    assert raised.value.reason_code == "provider_timeout"


async def test_an_unreachable_provider_is_temporary() -> None:
    with socket.socket() as sock:  # bound, not listening: connections are refused
        sock.bind(("127.0.0.1", 0))
        sender = channel(f"http://127.0.0.1:{sock.getsockname()[1]}")
        try:
            with pytest.raises(TemporaryFailure) as raised:
                await sender.send(sms())
        finally:
            await sender.close()
    assert raised.value.reason_code == "provider_unreachable"


def test_retry_after_may_be_an_http_date() -> None:
    now = datetime(2025, 7, 1, 12, 0, tzinfo=UTC)
    assert retry_after_seconds(format_datetime(now + timedelta(seconds=30), usegmt=True), now) == 30
    assert retry_after_seconds(format_datetime(now - timedelta(seconds=30), usegmt=True), now) == 0
    assert retry_after_seconds("-5") == 0


async def test_an_email_is_refused_as_a_bug_before_anything_is_posted(provider, sender) -> None:
    fake = provider[0]
    email = Message(delivery_id="d", to="a@example.com", content=EmailContent("Hi", "Hello"))
    with pytest.raises(TypeError, match="not an SMS"):
        await sender.send(email)
    assert fake.requests == []
