"""What a person matches a list's columns to, and the text encodings offered when a CSV file's
names come out garbled. The words are catalogue message ids, translated where shown."""

from __future__ import annotations

from contacts_web.domain.statuses import N_

COLUMN_FIELDS = (
    ("phone", N_("Phone number")),
    ("first_name", N_("First name")),
    ("last_name", N_("Last name")),
    ("display_name", N_("Display name")),
    ("email", N_("Email")),
    ("country", N_("Country")),
)
"""(field of the importer's column mapping, its words), in the order the page asks them."""

REQUIRED_FIELDS = frozenset({"phone"})

ENCODINGS = (
    ("utf-8", N_("Unicode (UTF-8)")),
    ("cp1252", N_("Western European (Windows-1252)")),
    ("iso8859-15", N_("Western European (ISO-8859-15)")),
    ("cp1250", N_("Central European (Windows-1250)")),
    ("iso8859-2", N_("Central European (ISO-8859-2)")),
    ("cp1251", N_("Cyrillic (Windows-1251)")),
    ("koi8-r", N_("Cyrillic (KOI8-R)")),
    ("cp1253", N_("Greek (Windows-1253)")),
    ("cp1254", N_("Turkish (Windows-1254)")),
    ("cp1255", N_("Hebrew (Windows-1255)")),
    ("cp1256", N_("Arabic (Windows-1256)")),
    ("cp1257", N_("Baltic (Windows-1257)")),
    ("cp1258", N_("Vietnamese (Windows-1258)")),
    ("cp932", N_("Japanese (Shift-JIS)")),
    ("euc_jp", N_("Japanese (EUC-JP)")),
    ("gb18030", N_("Chinese, simplified (GBK)")),
    ("big5", N_("Chinese, traditional (Big5)")),
    ("cp949", N_("Korean (Windows-949)")),
    ("utf-16", N_("Unicode (UTF-16)")),
)
"""(codec name, as the importer names the encoding it detected; its words): the code pages
spreadsheets write CSV files in (the importer's own candidates), most common first."""


def encoding_words(name: str | None) -> str | None:
    """The words of an encoding the page offers (a catalogue id), None for another one."""
    return dict(ENCODINGS).get(name or "")


def encoding_choices(detected: str | None) -> list[tuple[str, str | None]]:
    """The encodings to offer: the usual ones, and the detected one if it is not among them
    (shown by its codec name: None words)."""
    choices: list[tuple[str, str | None]] = list(ENCODINGS)
    if detected and detected not in dict(ENCODINGS):
        choices.insert(0, (detected, None))
    return choices
