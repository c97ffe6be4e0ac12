"""Hostile names never put a link, a phone number or an invisible character into a message;
ordinary names are shown as typed, at most 40 characters of them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from invitations_service.adapters.display_names import clean_name
from invitations_service.adapters.invitation_wording import (
    Invitation,
    email_parts,
    email_subject,
    sms_text,
)

pytestmark = pytest.mark.unit

LINK = "https://contacts.example.com/invite/tok"
SOMEONE_SMS = f"Someone invited you to Contacts: {LINK}"

# Each of these reached the SMS (all or part of it) before names were checked.
HOSTILE_NAMES = [
    "Bank alert call +44 7700 900123",
    "win.example.com/claim",
    "https://bit.ly/x",
    "Visit www. now",
    "Ana tel:112",
    "Call 0 7 7 0 0 9",
    "(0)20-7946.0958 Ana",
    "Call \uff10\uff17\uff17\uff10\uff10 \uff19\uff10\uff10",  # full-width digits
    "\uff57\uff49\uff4e\uff0e\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45\uff0e\uff43\uff4f\uff4d",
    "win\u200b.example\u200b.com",  # a zero-width space on each side of the dots
    "Ana +44\u200b7700\u200b900\u200b123",
    "Ana \u2066+447700900123\u2069",
    "evil\u3002com",  # the ideographic full stop, which SMS apps link on
    "ana@evil.com",
    "\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444",  # an internationalised domain
    "Ana \u0660\u0667\u0667\u0660\u0660\u0669\u0660\u0660",  # Arabic-Indic digits
    "x" * 30 + " win.example.com",  # the domain starts before the 40th character
    "Ana\u202emoc.evil",  # shows as "Analive.com"
    "Ana 192.168.0.1",
    "\u3164\u3164\u3164",  # Hangul fillers: a name nobody can see
    "\u2800",  # the blank braille pattern
]
HOSTILE_INVITEES = ["Call +44 7700 900123 now", "win.example.com", "\u3164", "\uff57\uff57\uff57."]
INVISIBLE = (
    "\u202e\u202a\u202b\u202c\u202d\u200b\u200c\u200d\u200e\u200f\u2066\u2067\u2068\u2069"
    "\ufeff\u00ad\u034f\u115f\u1160\u3164\uffa0\u2800\u180e\u2060\u2061\u2062\u2063\u2064"
)
ORDINARY_NAMES = ["Zoé", "J.R.R. Tolkien", "J. Smith", "Agent 007", "李小龙", "O'Brien-Smith",
                  "Ana (mum)", "Ana 2024", "<b>Bo</b>", "Émile Zola-Dupont"]  # fmt: skip


def invitation(inviter: str = "Ana Lima", invitee: str | None = None) -> Invitation:
    return Invitation(inviter, invitee, LINK, datetime(2025, 7, 1, tzinfo=UTC))


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_inviter_name_is_replaced_by_someone_in_the_sms(name: str) -> None:
    assert sms_text(invitation(name)) == SOMEONE_SMS


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_inviter_name_is_replaced_by_someone_in_the_email(name: str) -> None:
    subject, text, html = email_parts(invitation(name))
    assert subject == "Someone invited you to Contacts"
    assert "If you do not know Someone," in text
    assert "<p>Someone invited you" in html


@pytest.mark.parametrize("name", HOSTILE_INVITEES)
def test_a_hostile_invitee_name_drops_the_greeting(name: str) -> None:
    assert sms_text(invitation(invitee=name)) == f"Ana Lima invited you to Contacts: {LINK}"
    assert email_parts(invitation(invitee=name))[1].startswith("Hi,\n")


@given(st.text(alphabet=st.sampled_from("Ana Lim" + INVISIBLE), max_size=60))
def test_no_invisible_or_direction_changing_character_reaches_a_message(name: str) -> None:
    for words in (sms_text(invitation(name, name)), *email_parts(invitation(name, name))):
        assert not set(words) & set(INVISIBLE)


@pytest.mark.parametrize("name", ORDINARY_NAMES)
def test_an_ordinary_name_is_shown_as_typed(name: str) -> None:
    assert sms_text(invitation(name)) == f"{name} invited you to Contacts: {LINK}"
    assert email_subject(invitation(name)) == f"{name} invited you to Contacts"


def test_names_lose_line_breaks_and_control_characters_and_are_capped() -> None:
    assert clean_name("Ana\r\nSubject: spam\x00\u202e") == "Ana Subject: spam"
    assert clean_name("Ana\u2066 Lima\u200b\u2069") == "Ana Lima"
    assert len(clean_name("x" * 500)) == 40
    assert clean_name("   ") == clean_name(None) == ""
