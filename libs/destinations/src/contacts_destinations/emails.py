"""Email addresses as invitations and profiles accept them, checked by `email-validator` (the
library pydantic uses): syntax only, no DNS look-up, so checking an address costs no I/O.

Anything that is not one address is refused: no display name (`Ada <ada@example.com>`), no
list, no quoted local part or IP-literal domain, no special-use domain (`.test`, `localhost`).
Control characters are refused first and named: a CR or LF in an address is an attempt to
add mail headers (`Bcc:`) wherever the address is written into a message. Internationalised
addresses (`zoé@exämple.fr`) are accepted; the normalised form has its domain in lower case.
"""

from __future__ import annotations

import unicodedata

from email_validator import EmailNotValidError, validate_email

from contacts_destinations.reasons import Reason, Refused

INVALID = "email_invalid"
CONTROL_CHARACTERS = Reason(
    INVALID,
    "An email address cannot contain line breaks or other control characters.",
)


def email_address(raw: str) -> str:
    """The normalised address `raw` holds (surrounding spaces dropped); else `Refused` with
    code `email_invalid` and a sentence saying what is wrong."""
    if any(unicodedata.category(char) == "Cc" for char in raw):
        raise Refused(CONTROL_CHARACTERS)
    try:
        checked = validate_email(raw.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise Refused(Reason(INVALID, str(error))) from None  # its sentence says what is wrong
    return str(checked.normalized)
