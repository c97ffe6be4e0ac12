"""The words of the messages that carry a one-time code (nothing else goes into them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from directory_service.domain.one_time_codes import Purpose

APP_NAME = "Contacts"


@dataclass(frozen=True)
class CodeMessage:
    """An SMS (``subject`` None) or an email carrying ``code``."""

    purpose: Purpose
    to: str
    text: str
    subject: str | None = None


def _minutes(lifetime: timedelta) -> int:
    return max(1, round(lifetime.total_seconds() / 60))


def sign_in_sms(phone: str, code: str, lifetime: timedelta) -> CodeMessage:
    text = (
        f"{code} is your {APP_NAME} sign-in code. It expires in {_minutes(lifetime)} minutes. "
        "Never share it: nobody from us will ask for it."
    )
    return CodeMessage(Purpose.SIGN_IN, phone, text)


def new_phone_sms(phone: str, code: str, lifetime: timedelta) -> CodeMessage:
    text = (
        f"{code} is your {APP_NAME} code to confirm this number as your new one. "
        f"It expires in {_minutes(lifetime)} minutes."
    )
    return CodeMessage(Purpose.VERIFY_PHONE, phone, text)


def new_email_message(email: str, code: str, lifetime: timedelta) -> CodeMessage:
    text = (
        f"Your {APP_NAME} code to confirm this email address is {code}.\n\n"
        f"It expires in {_minutes(lifetime)} minutes. If you did not ask to add this address "
        f"to a {APP_NAME} account, ignore this email: nothing changes without the code.\n"
    )
    return CodeMessage(Purpose.VERIFY_EMAIL, email, text, f"Confirm your email for {APP_NAME}")
