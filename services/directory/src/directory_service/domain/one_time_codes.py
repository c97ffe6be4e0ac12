"""One-time codes: six digits sent to a phone number or email address to prove it is yours.

A code is kept only as an HMAC keyed with a server secret, so a copy of the table does not give
the codes away (a plain hash of six digits falls to a million guesses). A code lives a few
minutes and takes a few attempts; what it proves depends on its purpose: signing in with a
number, or owning the new number or email of a signed-in user.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from contacts_servicekit.domain_errors import Refused

DIGITS = 6


class Purpose(StrEnum):
    SIGN_IN = "sign_in"
    VERIFY_PHONE = "verify_phone"
    VERIFY_EMAIL = "verify_email"


@dataclass(frozen=True)
class CodeRules:
    lifetime: timedelta = timedelta(minutes=5)
    attempts: int = 5


def new_code() -> str:
    """Six random digits from the operating system's generator (leading zeros kept)."""
    return f"{secrets.randbelow(10**DIGITS):0{DIGITS}d}"


def code_hmac(secret: bytes, purpose: Purpose, destination: str, code: str) -> bytes:
    """What is stored for ``code``: bound to its purpose and destination, so a code for one
    number never passes for another number or purpose."""
    message = f"{purpose.value}\x00{destination}\x00{code}".encode()
    return hmac.new(secret, message, hashlib.sha256).digest()


def matches(secret: bytes, purpose: Purpose, destination: str, code: str, stored: bytes) -> bool:
    """Whether ``code`` is the one stored, compared in constant time."""
    return hmac.compare_digest(code_hmac(secret, purpose, destination, code), stored)


def typed_code(text: str, field: str = "code") -> str:
    """The six digits a person typed, in any script (a phone's keyboard may give full-width or
    Arabic-Indic digits), spaces and hyphens ignored; or 422 on ``field``."""
    typed = "".join(text.split()).replace("-", "")
    if len(typed) != DIGITS or not all(ch.isdecimal() for ch in typed):
        raise Refused("code_malformed", f"A code is {DIGITS} digits, as in the message.", field)
    return "".join(str(unicodedata.decimal(ch)) for ch in typed)


def code_not_valid() -> Refused:
    """The one answer to any code that does not prove anything (whatever the reason, so the
    answer tells nothing about which numbers asked for codes)."""
    return Refused(
        "code_invalid",
        "This code is not valid: it is wrong, was used, or has expired. Check it, or ask for a "
        "new one.",
        "code",
    )


@dataclass(frozen=True)
class Attempt:
    """A live code, one attempt taken from it: compare ``code_hmac``, then consume on success."""

    code_hmac: bytes
    attempts_left: int
