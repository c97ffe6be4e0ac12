"""Names people give (users, companies, contact points, invitees, imported rows): what every
service keeps of one.

Invisible and direction-changing characters are *removed*, not refused: bidi controls
(U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C), zero-width characters (U+200B-U+200D,
U+2060), the byte-order mark U+FEFF, soft hyphens, tags and every other Unicode format
character (category Cf), and the few letters and marks that render as nothing (Hangul fillers,
the combining grapheme joiner, Khmer inherent vowels). They arrive innocently (a byte-order
mark at the start of a spreadsheet cell, a left-to-right mark a phone puts around mixed-script
text, a zero-width space copied from a web page) and cannot be seen, so refusing them would
fail sign-ups and imports for something the user cannot find; their only effect on a name is
to disguise it (`\u202eevil` shows as `live`, two names that look the same differ), which
removing them ends. Arabic, Hebrew and every other script are kept as typed: their direction
comes from the letters themselves.

One exception: a zero-width joiner between two emoji is kept, since it is what makes a family
or a profession a single emoji (U+1F468 U+200D U+1F469 U+200D U+1F467); between letters it
is removed like any other. Variation selectors (U+FE0F after an emoji, ideographic variants
in Japanese names) are kept: they only choose a glyph.

Control characters are another matter: white space ones (tab, new line) become spaces, the
others are removed by :func:`clean_name`, and a service that can answer the person who typed
them refuses them instead (:func:`has_control_characters`), since they are never typed in
good faith.
"""

from __future__ import annotations

import unicodedata

ZERO_WIDTH_JOINER = "\u200d"
RENDERED_AS_NOTHING = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0")
_EMOJI_MODIFIERS = frozenset("\ufe0f") | {chr(c) for c in range(0x1F3FB, 0x1F400)}


def clean_name(raw: str) -> str:
    """`raw` without invisible, direction-changing and control characters, every run of white
    space one space, trimmed ("" when nothing visible is left)."""
    if not (raw.isprintable() and RENDERED_AS_NOTHING.isdisjoint(raw)):
        raw = _visible(raw)  # a character at a time: only for text that may hide one
    return " ".join(raw.split())


def has_control_characters(raw: str) -> bool:
    """Whether `raw` holds a control character other than white space (NUL, ESC, DEL, ...)."""
    return not raw.isprintable() and any(_is_control(c) for c in raw)


def _visible(raw: str) -> str:
    kept: list[str] = []
    for position, char in enumerate(raw):
        if not _is_hidden(char) or _joins_emoji(kept, raw, position):
            kept.append(char)
    return "".join(kept)


def _is_hidden(char: str) -> bool:
    category = unicodedata.category(char)
    return (
        category == "Cf" or char in RENDERED_AS_NOTHING or (category == "Cc" and not char.isspace())
    )


def _is_control(char: str) -> bool:
    return unicodedata.category(char) == "Cc" and not char.isspace()


def _joins_emoji(kept: list[str], raw: str, position: int) -> bool:
    """Whether `raw[position]` is a joiner after an emoji (or its modifier) and before another."""
    if raw[position] != ZERO_WIDTH_JOINER:
        return False
    before = kept[-1] if kept else ""
    after = raw[position + 1] if position + 1 < len(raw) else ""
    return (_is_emoji(before) or before in _EMOJI_MODIFIERS) and _is_emoji(after)


def _is_emoji(char: str) -> bool:
    """Emoji are "other symbols" (So); no letter of any script is."""
    return bool(char) and unicodedata.category(char) == "So"
