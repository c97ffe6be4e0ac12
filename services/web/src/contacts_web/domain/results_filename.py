"""The name a results file is saved under: the original list's name, made safe to send in a
Content-Disposition header and to save on any system."""

from __future__ import annotations

import re

MAX_STEM_CHARS = 80
FALLBACK_STEM = "contacts"
_UNSAFE = re.compile(r"[^\w .()+-]+")  # \w: letters and digits of any script, and _


def results_filename(original: str | None, extension: str) -> str:
    """`Team list.xlsx` -> `Team list-results.csv`: the original's base name without its
    extension, with anything but letters, digits, spaces and `.()+-_` replaced (path
    separators, quotes, control and direction-changing characters, characters Windows
    refuses), cut to MAX_STEM_CHARS."""
    name = (original or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = " ".join(_UNSAFE.sub("_", stem).split())[:MAX_STEM_CHARS].strip(" ._")
    return f"{stem or FALLBACK_STEM}-results.{extension}"
