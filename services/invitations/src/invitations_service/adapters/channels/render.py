"""The words of an invitation: a short SMS and an email (subject, text and HTML bodies).

Names are user input: they are cleaned (control characters dropped, white space collapsed,
length capped) everywhere and HTML-escaped in the HTML body. Nothing but the names, the link
and the expiry date of the invitation ever goes into a message.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC
from html import escape

from .base import Message

APP_NAME = "Contacts"
MAX_NAME_CHARS = 40
_MONTHS = ("January", "February", "March", "April", "May", "June", "July",
           "August", "September", "October", "November", "December")  # fmt: skip


def clean_name(name: str | None) -> str:
    """``name`` on one line (control and format characters become spaces), at most 40 chars."""
    if not name:
        return ""
    printable = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in name)
    return " ".join(printable.split())[:MAX_NAME_CHARS].strip()


def expiry_date(message: Message) -> str:
    """The expiry day in words, in UTC when the time is aware: ``1 July 2025``."""
    expires = message.expires_at
    if expires.tzinfo is not None:
        expires = expires.astimezone(UTC)
    return f"{expires.day} {_MONTHS[expires.month - 1]} {expires.year}"


def _inviter(message: Message) -> str:
    return clean_name(message.inviter_name) or "Someone"


def sms_text(message: Message) -> str:
    """The SMS body: who invites whom, and the link; GSM-7 and short when the names are."""
    greeting = f"Hi {invitee}, " if (invitee := clean_name(message.invitee_name)) else ""
    return f"{greeting}{_inviter(message)} invited you to {APP_NAME}: {message.link}"


def email_subject(message: Message) -> str:
    """The subject line (one line: names are cleaned of line breaks)."""
    return f"{_inviter(message)} invited you to {APP_NAME}"


def email_text(message: Message) -> str:
    """The plain-text body, holding the link and the expiry date."""
    invitee = clean_name(message.invitee_name)
    inviter = _inviter(message)
    return (
        f"Hi{' ' + invitee if invitee else ''},\n\n"
        f"{inviter} invited you to join them on {APP_NAME}.\n\n"
        f"Accept the invitation: {message.link}\n\n"
        f"This invitation expires on {expiry_date(message)}. "
        f"If you do not know {inviter}, you can ignore this email.\n"
    )


def email_html(message: Message) -> str:
    """The HTML body: the same words, every name and the link HTML-escaped."""
    invitee = escape(clean_name(message.invitee_name))
    inviter = escape(_inviter(message))
    link = escape(message.link, quote=True)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{inviter} invited you to {APP_NAME}</title></head>\n<body>\n"
        f"<p>Hi{' ' + invitee if invitee else ''},</p>\n"
        f"<p>{inviter} invited you to join them on {APP_NAME}.</p>\n"
        f'<p><a href="{link}">Accept the invitation</a></p>\n'
        f"<p>Or open this link: {link}</p>\n"
        f"<p>This invitation expires on {expiry_date(message)}. "
        f"If you do not know {inviter}, you can ignore this email.</p>\n"
        "</body></html>\n"
    )


def email_parts(message: Message) -> tuple[str, str, str]:
    """``(subject, text, html)`` of the invitation email."""
    return email_subject(message), email_text(message), email_html(message)
