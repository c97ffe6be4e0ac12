"""Email through an SMTP server (``aiosmtplib``), one connection per message.

An email with an HTML body is ``multipart/alternative`` (text, then HTML), one without it is
plain text. Its ``Message-ID`` is derived from the delivery id, so a resend of the same attempt
is recognisable downstream. SMTP replies are mapped to failures: a 5xx refusal of the recipient
or of the message is permanent; 4xx replies, timeouts, connection errors and our own
configuration problems (authentication, sender refused) are temporary, so that messages are not
marked failed while the mail set-up is broken.
"""

from __future__ import annotations

import re
from email.message import EmailMessage
from email.utils import formatdate, parseaddr

import aiosmtplib

from .base import DeliveryFailure, Message, PermanentFailure, SendResult, TemporaryFailure

_ADDRESS = re.compile(r"[^@\s<>,;:\"()\[\]\\]+@[^@\s<>,;:\"()\[\]\\]+")
_NOT_ID_CHARS = re.compile(r"[^A-Za-z0-9.\-_]")


def message_id(delivery_id: str, sender: str) -> str:
    """``<{delivery_id}@{sender's domain}>``: the same for every send of one attempt."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "contacts.local"
    return f"<{_NOT_ID_CHARS.sub('-', delivery_id)}@{domain}>"


def build_email(message: Message, sender: str) -> EmailMessage:
    """The email to ``message.to``; an unusable address is a permanent failure."""
    if not _ADDRESS.fullmatch(message.to):
        raise PermanentFailure("invalid_recipient", "the email address is not valid")
    content = message.email()
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to
    email["Subject"] = content.subject
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = message_id(message.delivery_id, sender)
    email.set_content(content.text)
    if content.html is not None:
        email.add_alternative(content.html, subtype="html")
    return email


def _refused_recipient(error: aiosmtplib.SMTPRecipientsRefused) -> DeliveryFailure:
    """A refused RCPT: permanent on 5xx, temporary (greylisting, full mailbox) on 4xx."""
    refusal = error.recipients[0] if error.recipients else None
    code = refusal.code if refusal else 0
    reason = f"{code} {refusal.message}" if refusal else "recipient refused"
    if 500 <= code < 600:
        return PermanentFailure("recipient_refused", reason)
    return TemporaryFailure("recipient_deferred", reason)


def smtp_failure(error: Exception) -> DeliveryFailure:
    """The failure an SMTP or network error means for this message."""
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused):
        return _refused_recipient(error)
    if isinstance(error, aiosmtplib.SMTPDataError) and 500 <= error.code < 600:
        return PermanentFailure("message_rejected", f"{error.code} {error.message}")
    if isinstance(error, aiosmtplib.SMTPAuthenticationError):
        return TemporaryFailure("smtp_auth_failed", f"{error.code} {error.message}")
    if isinstance(error, aiosmtplib.SMTPResponseException):
        return TemporaryFailure(f"smtp_{error.code}", f"{error.code} {error.message}")
    if isinstance(error, TimeoutError):
        return TemporaryFailure("smtp_timeout", str(error) or "the SMTP server did not answer")
    return TemporaryFailure("smtp_unavailable", str(error) or type(error).__name__)


class SmtpChannel:
    """Sends emails through one SMTP server."""

    name: str = "smtp"

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        username: str | None = None,
        password: str | None = None,
        use_tls: bool = False,
        start_tls: bool = False,
        timeout: float = 10,
    ) -> None:
        self._host, self._port, self.sender = host, port, sender
        self._username, self._password = username, password
        self._use_tls, self._start_tls, self._timeout = use_tls, start_tls, timeout

    def _client(self) -> aiosmtplib.SMTP:
        return aiosmtplib.SMTP(
            hostname=self._host,
            port=self._port,
            username=self._username,
            password=self._password,
            use_tls=self._use_tls,
            start_tls=self._start_tls,
            timeout=self._timeout,
        )

    async def send(self, message: Message) -> SendResult:
        """Connect, send the email, quit; raise a delivery failure when it was not accepted."""
        email = build_email(message, self.sender)
        try:
            async with self._client() as client:
                await client.send_message(email)
        except (aiosmtplib.SMTPException, OSError) as error:
            raise smtp_failure(error) from error
        return SendResult(provider_message_id=email["Message-ID"])

    async def close(self) -> None:
        """Nothing to release: each message uses its own connection."""
