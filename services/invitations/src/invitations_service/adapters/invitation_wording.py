"""The words of an invitation: a short SMS and an email (subject, text and HTML bodies), and
the channel :class:`Message` that carries them.

Names are user input: every message shows them as display_names.py allows (visible, one line,
at most 40 characters, never a link or a phone number; otherwise "Someone" or no greeting), and
the HTML body escapes them. Nothing but the names, the link and the expiry date of the
invitation ever goes into a message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape

from contacts_channels import ChannelName, EmailContent, Message, SmsContent

from .display_names import clean_name

APP_NAME = "Contacts"
_MONTHS = ("January", "February", "March", "April", "May", "June", "July",
           "August", "September", "October", "November", "December")  # fmt: skip


@dataclass(frozen=True)
class Invitation:
    """What an invitation's message says: who invites whom, the link and until when."""

    inviter_name: str
    invitee_name: str | None
    link: str  # the invitation link (contains the token)
    expires_at: datetime


def invitation_message(
    delivery_id: str, channel: ChannelName, to: str, invitation: Invitation
) -> Message:
    """The message that sends ``invitation`` to ``to`` by ``channel``; the dev channel records
    it as kind ``invitation`` with its link."""
    content = (
        SmsContent(sms_text(invitation))
        if channel == "sms"
        else EmailContent(*email_parts(invitation))
    )
    return Message(
        delivery_id=delivery_id, to=to, content=content, kind="invitation", link=invitation.link
    )


def expiry_date(invitation: Invitation) -> str:
    """The expiry day in words, in UTC when the time is aware: ``1 July 2025``."""
    expires = invitation.expires_at
    if expires.tzinfo is not None:
        expires = expires.astimezone(UTC)
    return f"{expires.day} {_MONTHS[expires.month - 1]} {expires.year}"


def _inviter(invitation: Invitation) -> str:
    return clean_name(invitation.inviter_name) or "Someone"


def sms_text(invitation: Invitation) -> str:
    """The SMS body: who invites whom, and the link; GSM-7 and short when the names are."""
    greeting = f"Hi {invitee}, " if (invitee := clean_name(invitation.invitee_name)) else ""
    return f"{greeting}{_inviter(invitation)} invited you to {APP_NAME}: {invitation.link}"


def email_subject(invitation: Invitation) -> str:
    """The subject line (one line: names are cleaned of line breaks)."""
    return f"{_inviter(invitation)} invited you to {APP_NAME}"


def email_text(invitation: Invitation) -> str:
    """The plain-text body, holding the link and the expiry date."""
    invitee = clean_name(invitation.invitee_name)
    inviter = _inviter(invitation)
    return (
        f"Hi{' ' + invitee if invitee else ''},\n\n"
        f"{inviter} invited you to join them on {APP_NAME}.\n\n"
        f"Accept the invitation: {invitation.link}\n\n"
        f"This invitation expires on {expiry_date(invitation)}. "
        f"If you do not know {inviter}, you can ignore this email.\n"
    )


def email_html(invitation: Invitation) -> str:
    """The HTML body: the same words, every name and the link HTML-escaped."""
    invitee = escape(clean_name(invitation.invitee_name))
    inviter = escape(_inviter(invitation))
    link = escape(invitation.link, quote=True)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{inviter} invited you to {APP_NAME}</title></head>\n<body>\n"
        f"<p>Hi{' ' + invitee if invitee else ''},</p>\n"
        f"<p>{inviter} invited you to join them on {APP_NAME}.</p>\n"
        f'<p><a href="{link}">Accept the invitation</a></p>\n'
        f"<p>Or open this link: {link}</p>\n"
        f"<p>This invitation expires on {expiry_date(invitation)}. "
        f"If you do not know {inviter}, you can ignore this email.</p>\n"
        "</body></html>\n"
    )


def email_parts(invitation: Invitation) -> tuple[str, str, str]:
    """``(subject, text, html)`` of the invitation email."""
    return email_subject(invitation), email_text(invitation), email_html(invitation)
