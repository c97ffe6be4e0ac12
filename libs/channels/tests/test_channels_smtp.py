"""The SMTP channel against a real SMTP server (aiosmtpd) listening on 127.0.0.1."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage, MIMEPart
from typing import Any

import pytest
from aiosmtpd.smtp import SMTP, AuthResult, Envelope
from contacts_channels import (
    EmailContent,
    Message,
    PermanentFailure,
    SmsContent,
    SmtpChannel,
    TemporaryFailure,
)
from contacts_channels.smtp import message_id

pytestmark = pytest.mark.integration

SENDER = "Contacts <no-reply@contacts.example.com>"
LINK = "https://contacts.example.com/i/tok_abc123"
SUBJECT = "Ana invited you to Contacts: café"
TEXT = f"Accept the invitation: {LINK}\n"
HTML = f'<p>Ana &amp; co: <a href="{LINK}">accept</a></p>\n'


class MailRecorder:
    """An aiosmtpd handler that keeps accepted emails, or answers with a scripted refusal."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []
        self.rcpt_reply: str | None = None
        self.data_reply: str | None = None

    async def handle_RCPT(
        self, server: SMTP, session: Any, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Any, envelope: Envelope) -> str:
        if self.data_reply:
            return self.data_reply
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def emails(self) -> list[EmailMessage]:
        return [message_from_bytes(e.original_content or b"", policy=policy.default)  # type: ignore[misc]
                for e in self.envelopes]  # fmt: skip


def content(part: MIMEPart | None) -> str:
    """A part's text as it was given: SMTP carried its lines with CRLF endings."""
    assert part is not None
    return str(part.get_content()).replace("\r\n", "\n")


async def _serve(protocol: Any) -> tuple[asyncio.AbstractServer, int]:
    server = await asyncio.get_running_loop().create_server(protocol, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


async def _stop(server: asyncio.AbstractServer) -> None:
    server.close()
    await asyncio.wait_for(server.wait_closed(), timeout=5)


@pytest.fixture
async def mail_server() -> AsyncIterator[tuple[MailRecorder, int]]:
    recorder = MailRecorder()
    server, port = await _serve(lambda: SMTP(recorder, hostname="mail.test"))
    yield recorder, port
    await _stop(server)


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A loopback port bound by us but not listening: connections are refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def invitation(delivery_id: str = "6f1c1c5e-3b7a-4d7e-9a55-1d2b6d2f0a11") -> Message:
    content = EmailContent(SUBJECT, TEXT, HTML)
    return Message(delivery_id=delivery_id, to="bruno@example.com", content=content, link=LINK)


async def test_the_email_arrives_as_text_and_html_as_given(mail_server) -> None:
    recorder, port = mail_server
    channel = SmtpChannel("127.0.0.1", port, SENDER, timeout=5)
    result = await channel.send(invitation())
    [envelope] = recorder.envelopes
    assert envelope.mail_from == "no-reply@contacts.example.com"
    assert envelope.rcpt_tos == ["bruno@example.com"]
    [email] = recorder.emails()
    assert email.get_content_type() == "multipart/alternative"
    assert email["Subject"] == SUBJECT
    assert content(email.get_body(("plain",))) == TEXT
    assert content(email.get_body(("html",))) == HTML
    assert result.provider_message_id == email["Message-ID"].strip()


async def test_an_email_without_html_is_plain_text(mail_server) -> None:
    recorder, port = mail_server
    code = EmailContent("Your Contacts code", "Your code is 482913\n")
    message = Message(delivery_id="d-7", to="bruno@example.com", content=code, kind="sign_in_code")
    await SmtpChannel("127.0.0.1", port, SENDER, timeout=5).send(message)
    [email] = recorder.emails()
    assert email.get_content_type() == "text/plain"
    assert content(email) == "Your code is 482913\n"


async def test_an_sms_is_refused_as_a_bug_before_connecting() -> None:
    sms = Message(delivery_id="d", to="bruno@example.com", content=SmsContent("Hi"))
    with pytest.raises(TypeError, match="not an email"):
        await SmtpChannel("127.0.0.1", 9, SENDER, timeout=1).send(sms)


async def test_the_message_id_is_derived_from_the_delivery_id(mail_server) -> None:
    recorder, port = mail_server
    channel = SmtpChannel("127.0.0.1", port, SENDER, timeout=5)
    await channel.send(invitation("attempt-42"))
    await channel.send(invitation("attempt-42"))  # a resend of the same attempt
    await channel.send(invitation("attempt-43"))
    ids = [email["Message-ID"].strip() for email in recorder.emails()]
    assert ids[0] == ids[1] == message_id("attempt-42", SENDER)
    assert ids[0] == "<attempt-42@contacts.example.com>"
    assert ids[2] != ids[0]


@pytest.mark.parametrize(
    ("stage", "reply", "failure", "reason_code"),
    [
        ("rcpt", "451 4.7.1 Greylisted, try again later", TemporaryFailure, "recipient_deferred"),
        ("data", "451 4.3.0 Local error in processing", TemporaryFailure, "smtp_451"),
        ("rcpt", "550 5.1.1 No such user here", PermanentFailure, "recipient_refused"),
        ("data", "554 5.7.1 Message rejected", PermanentFailure, "message_rejected"),
    ],
)
async def test_refusals_are_temporary_on_4xx_and_permanent_on_5xx(
    mail_server, stage: str, reply: str, failure: type[Exception], reason_code: str
) -> None:
    recorder, port = mail_server
    setattr(recorder, f"{stage}_reply", reply)
    with pytest.raises(failure) as raised:
        await SmtpChannel("127.0.0.1", port, SENDER, timeout=5).send(invitation())
    assert raised.value.reason_code == reason_code  # type: ignore[attr-defined]
    assert reply.split()[0] in raised.value.reason  # type: ignore[attr-defined]
    assert recorder.envelopes == []


async def test_a_closed_port_is_a_temporary_failure(closed_port: int) -> None:
    with pytest.raises(TemporaryFailure) as raised:
        await SmtpChannel("127.0.0.1", closed_port, SENDER, timeout=5).send(invitation())
    assert raised.value.reason_code == "smtp_unavailable"


async def test_a_server_that_never_greets_is_a_temporary_failure() -> None:
    server, port = await _serve(asyncio.Protocol)  # accepts connections, says nothing
    try:
        with pytest.raises(TemporaryFailure) as raised:
            await SmtpChannel("127.0.0.1", port, SENDER, timeout=0.3).send(invitation())
    finally:
        await _stop(server)
    assert raised.value.reason_code == "smtp_timeout"


async def test_refused_credentials_are_temporary_not_the_messages_fault() -> None:
    def refuse(*_: Any) -> AuthResult:
        return AuthResult(success=False, handled=False)

    recorder = MailRecorder()
    server, port = await _serve(
        lambda: SMTP(recorder, authenticator=refuse, auth_require_tls=False, hostname="mail.test")
    )
    channel = SmtpChannel("127.0.0.1", port, SENDER, username="app", password="wrong", timeout=5)
    try:
        with pytest.raises(TemporaryFailure) as raised:
            await channel.send(invitation())
    finally:
        await _stop(server)
    assert raised.value.reason_code == "smtp_auth_failed"
    assert recorder.envelopes == []


@pytest.mark.parametrize("address", ["not-an-address", "a@b.c\r\nBcc: x@y.z", "a b@example.com"])
async def test_an_unusable_address_is_refused_before_connecting(address: str) -> None:
    message = Message(delivery_id="d", to=address, content=EmailContent("Hi", "Hello"))
    with pytest.raises(PermanentFailure) as raised:
        await SmtpChannel("127.0.0.1", 9, SENDER, timeout=1).send(message)
    assert raised.value.reason_code == "invalid_recipient"
