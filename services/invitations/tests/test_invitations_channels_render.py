"""The words of an invitation: short GSM-7 SMS, escaped HTML, the link and the expiry date."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from invitations_service.adapters.channels import Message, email_parts, sms_text
from invitations_service.adapters.channels.render import clean_name

pytestmark = pytest.mark.unit

LINK = "https://contacts.example.com/i/3q2-7wAbCdEfGhIjKlMnOpQrStUvWxYz_0123456789"
GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)


def message(
    inviter: str = "Ana Lima", invitee: str | None = "Bruno", channel: str = "sms"
) -> Message:
    return Message(
        delivery_id="d-1",
        channel=channel,  # type: ignore[arg-type]
        to="+33612345678" if channel == "sms" else "bruno@example.com",
        inviter_name=inviter,
        invitee_name=invitee,
        link=LINK,
        expires_at=datetime(2025, 7, 1, 9, 30, tzinfo=UTC),
    )


def test_the_sms_names_both_people_and_holds_the_link_in_one_gsm7_segment() -> None:
    text = sms_text(message())
    assert text == f"Hi Bruno, Ana Lima invited you to Contacts: {LINK}"
    assert len(text) < 160
    assert set(text) <= GSM7_BASIC


def test_the_sms_without_an_invitee_name_starts_with_the_inviter() -> None:
    assert sms_text(message(invitee=None)) == f"Ana Lima invited you to Contacts: {LINK}"


def test_names_lose_line_breaks_and_control_characters_and_are_capped() -> None:
    assert clean_name("Ana\r\nSubject: spam\x00\u202e") == "Ana Subject: spam"
    assert len(clean_name("x" * 500)) == 40
    assert clean_name("   ") == clean_name(None) == ""
    assert sms_text(message(inviter="\n\t")).startswith("Hi Bruno, Someone invited you")


def test_the_email_holds_the_link_and_the_expiry_date_in_both_bodies() -> None:
    subject, text, html = email_parts(message(channel="email"))
    assert subject == "Ana Lima invited you to Contacts"
    for body in (text, html):
        assert LINK in body
        assert "1 July 2025" in body
        assert "Bruno" in body


def test_user_names_are_escaped_in_the_html_body() -> None:
    evil = '<script>alert("x")</script>'
    _, text, html = email_parts(message(inviter=evil, invitee="<b>Bo</b>", channel="email"))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;b&gt;Bo&lt;/b&gt;" in html
    assert evil in text  # the plain-text body is not HTML: nothing to escape there


def test_the_subject_stays_on_one_line() -> None:
    subject, _, _ = email_parts(message(inviter="Ana\r\nBcc: victim@example.com", channel="email"))
    assert "\n" not in subject
    assert "\r" not in subject


def test_the_expiry_date_is_the_utc_day() -> None:
    late = datetime(2025, 7, 1, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    expiring = Message("d", "email", "a@example.com", "Ana", None, LINK, late)
    assert "2 July 2025" in email_parts(expiring)[1]
