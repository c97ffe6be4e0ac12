"""A refusal of the platform (its problem details) in the reader's words.

Each known error code has a sentence in the catalogue; an unknown one falls back to the
service's own sentence (`detail`, English). A limit says when to try again; a 429 is told by
the limit it reached (its RateLimit-Policy names it), every limit having the code
`rate_limited`."""

from __future__ import annotations

import re
from collections.abc import Callable

from contacts_client import ApiError

from contacts_web.entrypoints.words.formats import wait
from contacts_web.entrypoints.words.i18n import gettext as _
from contacts_web.entrypoints.words.i18n import ngettext
from contacts_web.entrypoints.words.import_refusals import import_words


def _words() -> dict[str, Callable[[ApiError], str]]:
    """Built per call: the sentences are translated in the request's language."""
    return {
        "code_invalid": lambda e: _(
            "This code is not right, or it has expired. Check the SMS, or ask for a new code."
        ),
        "code_malformed": lambda e: _("The code is the six digits of the SMS."),
        "display_name_required": lambda e: _("Welcome! Tell us your name to create your account."),
        "name_empty": lambda e: _("Please type your name."),
        "name_too_long": lambda e: _("This name is too long."),
        "name_control_characters": lambda e: _(
            "This name contains characters that cannot be shown."
        ),
        "phone_not_mobile": lambda e: _("This number cannot receive SMS: use a mobile number."),
        "rate_limited": _try_later,
        "too_many_requests": _try_later,
        **import_words(),  # a list's refusals
        **_adding_words(),
        **_lists_words(),
    }


def _adding_words() -> dict[str, Callable[[ApiError], str]]:
    """Adding contacts: pasted numbers, and a ConnectID looked up then added."""
    return {
        "no_numbers": lambda e: _("Type or paste at least one phone number."),
        "too_many_rows": lambda e: _(
            "There are too many numbers to add at once: split them, or use a .CSV or .XLS file."
        ),
        "body_too_large": lambda e: _(
            "This is too much text to send at once: split it, or use a .CSV or .XLS file."
        ),
        "unknown_region": lambda e: _("Choose a country from the list."),
        "empty": lambda e: _("Type or paste a ConnectID."),
        "unused_character": lambda e: _(
            "ConnectIDs never contain the letters O, I, L or the digits 0 and 1: please check "
            "the ConnectID."
        ),
        "invalid_character": lambda e: _("A ConnectID has only letters and digits."),
        "wrong_length": lambda e: _(
            "A ConnectID has 9 letters and digits (such as K7Q-M2X-9HB): please check it."
        ),
        "check_failed": lambda e: _(
            "This is not a valid ConnectID: a character is probably mistyped or two are swapped."
        ),
        "connect_id_not_found": lambda e: _("Nobody has this ConnectID. Please check it."),
        "self": lambda e: _("This is your own ConnectID."),
        "already_contact": lambda e: _("This person is already in your contacts."),
        "contact_point": lambda e: _(
            "This ConnectID is a company contact point: it is shared with the company's members "
            "and cannot be added as a personal contact."
        ),
        "lookup_required": _search_again,
        "add_token_invalid": _search_again,
    }


def _lists_words() -> dict[str, Callable[[ApiError], str]]:
    """The contact lists (the Archived toggle) and pending invitations (Resend, delete); the
    invitations' limits are 429 `rate_limited`, told apart by the limit they name."""
    return {
        "managed_by_company": lambda e: _("You cannot archive contacts managed by your company."),
        "contact_not_found": lambda e: _("This contact is not in your lists any more."),
        "invitation_not_found": lambda e: _(
            "This invitation is no longer pending: it was accepted, it expired or it was deleted."
        ),
        "send_in_progress": lambda e: _(
            "This invitation is being sent right now. Try again in a moment."
        ),
        "resend_cooldown": _cooldown,
        "destination_daily_cap": _destination_cap,
        "inviter_daily_cap": _inviter_cap,
    }


def _search_again(_error: ApiError) -> str:
    return _("This search has expired. Please search for the ConnectID again.")


def _try_later(error: ApiError) -> str:
    if error.retry_after is None:
        return _("Too many attempts. Please try again later.")
    minutes = max(1, round(error.retry_after / 60))
    return ngettext(
        "Too many attempts. Please try again in %(num)d minute.",
        "Too many attempts. Please try again in %(num)d minutes.",
        minutes,
    ) % {"num": minutes}


def _cooldown(error: ApiError) -> str:
    return _("You sent this invitation a short while ago. You can resend it in %(wait)s.") % {
        "wait": wait(error.retry_after or 1)
    }


def _destination_cap(error: ApiError) -> str:
    return _(
        "This number or address got the most invitations allowed in one day. You can resend"
        " it in %(wait)s, when the day's limit starts again."
    ) % {"wait": wait(error.retry_after or 1)}


def _inviter_cap(error: ApiError) -> str:
    return _(
        "You sent the most invitations allowed in one day. You can send more in %(wait)s, when"
        " the day's limit starts again."
    ) % {"wait": wait(error.retry_after or 1)}


_POLICY_NAME = re.compile(r'^\s*"?([A-Za-z0-9_.-]+)"?')


def limit_reached(error: ApiError) -> str | None:
    """The name of the limit a 429 reached (its RateLimit-Policy: `"resend_cooldown";q=1;w=600`),
    which says more than its code (`rate_limited` for every limit)."""
    found = _POLICY_NAME.match(error.headers.get("RateLimit-Policy", ""))
    return found.group(1) if error.status == 429 and found else None


def refusal_words(error: ApiError) -> str:
    words = _words()
    say = words.get(limit_reached(error) or "") or words.get(error.error or "")
    if say is not None:
        return say(error)
    if error.status == 429:
        return _try_later(error)
    return error.detail or error.title or _("This was refused.")
