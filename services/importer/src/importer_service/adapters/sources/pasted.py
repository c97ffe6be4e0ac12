"""Pasted phone numbers: one or many, separated by commas, semicolons, tabs or new lines."""

from __future__ import annotations

import re

LINE_BREAKS = "\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029"  # what str.splitlines() splits on
FULL_WIDTH_AND_ARABIC = "\uff0c\uff1b\u3001\u060c\u061b"  # CJK and Arabic commas, semicolons
# Never a space, dot, hyphen, slash or parenthesis: phone numbers are written with those.
SEPARATORS = ",;\t" + LINE_BREAKS + FULL_WIDTH_AND_ARABIC
_SEPARATOR_RUN = re.compile("[" + re.escape(SEPARATORS) + "]+")


def split_pasted(text: str) -> list[str]:
    """The non-empty, stripped tokens of `text`, in the order they were pasted."""
    return [token for part in _SEPARATOR_RUN.split(text) if (token := part.strip())]
