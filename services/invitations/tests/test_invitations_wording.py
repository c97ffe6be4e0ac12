"""The words of an invitation: short GSM-7 SMS, escaped HTML, the link and the expiry date;
and the channel message that carries them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from contacts_channels import EmailContent, SmsContent
from invitations_service.adapters.invitation_wording import (
    Invitation,
    email_parts,
    invitation_message,
    sms_text,
)

pytestmark = pytest.mark.unit

LINK = "https://contacts.example.com/i/3q2-7wAbCdEfGhIjKlMnOpQrStUvWxYz_0123456789"
GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)


def invitation(inviter: str = "Ana Lima", invitee: str | None = "Bruno") -> Invitation:
    return Invitation(inviter, invitee, LINK, datetime(2025, 7, 1, 9, 30, tzinfo=UTC))


def test_the_sms_names_both_people_and_holds_the_link_in_one_gsm7_segment() -> None:
    text = sms_text(invitation())
    assert text == f"Hi Bruno, Ana Lima invited you to Contacts: {LINK}"
    assert len(text) < 160
    assert set(text) <= GSM7_BASIC


def test_the_sms_without_an_invitee_name_starts_with_the_inviter() -> None:
    assert sms_text(invitation(invitee=None)) == f"Ana Lima invited you to Contacts: {LINK}"


def test_an_inviter_without_a_visible_name_is_someone() -> None:
    assert sms_text(invitation(inviter="\n\t")).startswith("Hi Bruno, Someone invited you")


def test_the_email_holds_the_link_and_the_expiry_date_in_both_bodies() -> None:
    subject, text, html = email_parts(invitation())
    assert subject == "Ana Lima invited you to Contacts"
    for body in (text, html):
        assert LINK in body
        assert "1 July 2025" in body
        assert "Bruno" in body


def test_user_names_are_escaped_in_the_html_body() -> None:
    evil = '<script>alert("x")</script>'
    _, text, html = email_parts(invitation(inviter=evil, invitee="<b>Bo</b>"))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;b&gt;Bo&lt;/b&gt;" in html
    assert evil in text  # the plain-text body is not HTML: nothing to escape there


def test_the_subject_stays_on_one_line() -> None:
    subject, _, _ = email_parts(invitation(inviter="Ana\r\nBcc: victim", invitee=None))
    assert "\n" not in subject
    assert "\r" not in subject


def test_the_expiry_date_is_the_utc_day() -> None:
    late = datetime(2025, 7, 1, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    expiring = Invitation("Ana", None, LINK, late)
    assert "2 July 2025" in email_parts(expiring)[1]


def test_an_sms_invitation_is_a_message_of_kind_invitation_with_its_link() -> None:
    sent = invitation_message("d-1", "sms", "+33612345678", invitation())
    assert (sent.delivery_id, sent.to, sent.channel) == ("d-1", "+33612345678", "sms")
    assert (sent.kind, sent.link) == ("invitation", LINK)
    assert sent.content == SmsContent(sms_text(invitation()))


def test_an_email_invitation_carries_subject_text_and_html() -> None:
    sent = invitation_message("d-2", "email", "bruno@example.com", invitation())
    assert (sent.channel, sent.kind, sent.link) == ("email", "invitation", LINK)
    assert sent.content == EmailContent(*email_parts(invitation()))
