"""Names as they may appear in a message the platform sends.

Both names of an invitation are typed by the inviter (their own display name, and the name
they gave the invitee), yet the message goes out under the platform's name. A name is thus a
way to put the inviter's words into an SMS from us: "Bank alert call +44 7700 900123" or
"win.example.com/claim" would read as the platform's own instruction, the usual smishing
pattern. So a name appears in a message only when it is plainly a name:

* it is visible and on one line: invisible and direction-changing characters (Unicode's
  default-ignorable code points, among them U+200B-U+200F, U+202A-U+202E, U+2066-U+2069 and
  U+FEFF, the Hangul fillers, and the blank braille pattern) are dropped, so nothing hides or
  reorders text (U+202E shows "moc.live" as "evil.com"); control characters become spaces;
* it is at most 40 characters, so that it cannot crowd out the rest of the SMS;
* it carries no link and no phone number: no scheme (``https://``, ``tel:``), no ``www.``,
  no ``x.tld`` token, no run of 5 or more digits counted through spaces, dots, dashes,
  brackets and slashes. They are looked for in the name's NFKC form (so that full-width
  letters, digits and dots count), after the invisible characters are dropped (so that a
  U+200B between "win" and ".com" does not hide the domain), and in the whole name, before it
  is cut to 40 characters.

A name that fails is not trimmed but replaced as a whole (the caller's neutral fallback:
"Someone", or no greeting): cutting the number out would still leave "Bank alert call" in our
SMS. The check errs on the side of the fallback: "Dr.Smith" (no space after the dot) looks like
a domain and is not shown, a small price for messages that never carry a stranger's link.
"""

from __future__ import annotations

import unicodedata

import regex

MAX_NAME_CHARS = 40
MIN_PHONE_DIGITS = 5

_INVISIBLE = regex.compile(r"[\p{Default_Ignorable_Code_Point}\u2800]")
_OTHER_CONTROL = regex.compile(r"\p{C}")  # what is left of categories Cc, Cf, Co, Cn, Cs
_DOT = r"[.\u3002]"  # NFKC folds the other dots SMS apps link on (U+FF0E, U+FF61) into these
_LINK = regex.compile(
    rf"""
      [a-z][a-z0-9+.\-]*:/                                    # a scheme: https://, file:/
    | \b(?:mailto|tel|sms|smsto|mms|callto|whatsapp|tg)\s*:   # schemes without a slash
    | \bwww\d*{_DOT}                                          # www. and www2.
    | [\w\-]+{_DOT}(?:[^\W\d_]{{2,}}|xn--[\w\-]+)\b          # x.tld, also x.рф and x.xn--p1ai
    """,
    regex.VERBOSE,
)
_PHONE_RUN = regex.compile(
    rf"\d(?:[\s.\u3002/\p{{Pd}}\p{{Ps}}\p{{Pe}}]*\d){{{MIN_PHONE_DIGITS - 1},}}"
)


def visible_text(name: str | None) -> str:
    """``name`` with invisible characters dropped, control characters made spaces, and its
    white space collapsed to single spaces; not cut."""
    if not name:
        return ""
    shown = _OTHER_CONTROL.sub(" ", _INVISIBLE.sub("", name))
    return " ".join(shown.split())


def carries_link_or_number(text: str) -> bool:
    """Whether ``text`` holds a URL, a domain-like token or a phone-number-like digit run."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return bool(_LINK.search(folded) or _PHONE_RUN.search(folded))


def clean_name(name: str | None) -> str:
    """``name`` visible, on one line and at most 40 characters, or ``""`` when it carries a
    link or a phone number (or nothing visible)."""
    visible = visible_text(name)
    if carries_link_or_number(visible):
        return ""
    return visible[:MAX_NAME_CHARS].strip()
