"""The importer's refusals of a list, and its reasons for a failed import, in the reader's
words, by their code (the importer's own sentences are English and name details a person
does not need to fix the file)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from contacts_client import ApiError

from contacts_web.entrypoints.words.i18n import gettext as _


def import_sentences() -> dict[str, str]:
    """Built per call: the sentences are translated in the request's language."""
    save_again = _("Open it in your spreadsheet, save it again and upload it.")
    return {
        "unsupported_extension": _(
            "This kind of file cannot be read. Upload a CSV file (.csv) or a spreadsheet "
            "(.xls, .xlsx, .ods)."
        ),
        "content_mismatch": _(
            "The content of this file does not match its name (a workbook renamed .csv, for "
            "example). Save it from your spreadsheet as .csv, .xlsx or .ods."
        ),
        "empty_file": _("This file is empty."),
        "no_rows": _("This file has a header row but no rows."),
        "file_too_large": _("This file is too large for one list. Split it into smaller files."),
        "too_many_rows": _(
            "This file has more rows than one import can take. Split it into smaller files."
        ),
        "too_many_cells": _(
            "A sheet of this workbook is too large to read. Remove its empty rows and "
            "columns, or split it."
        ),
        "too_many_columns": _("A sheet of this workbook has too many columns to read."),
        "unreadable_file": _("This file cannot be read.") + " " + save_again,
        "invalid_archive": _("This workbook is damaged.") + " " + save_again,
        "file_too_complex": _("This file is too complex to read. Save it as CSV and upload it."),
        "malformed_csv": _("This CSV file is not well formed.") + " " + save_again,
        "unbalanced_quotes": _("A quotation mark in this CSV file is never closed.")
        + " "
        + save_again,
        "binary_content": _("This file holds data that is not text.") + " " + save_again,
        "unstorable_text": _("This file holds characters that cannot be stored.")
        + " "
        + save_again,
        "sheet_not_found": _("This workbook has no such sheet."),
        "bad_encoding": _("The file is not written in this encoding: choose another one."),
        "unknown_encoding": _("This is not a text encoding: choose one of the list."),
        "phone_required": _("Choose the column that holds the phone numbers."),
        "no_phone_column": _("No column reads as phone numbers: choose the right one."),
        "column_used_twice": _("One column is chosen for two things: choose each column once."),
        "unknown_column": _("This column is not in the file."),
        "column_out_of_range": _("This column is not in the file."),
        "import_started": _("This list is already imported: its columns can no longer change."),
        "import_not_ready": _("The rows of your file are still being read. Try again."),
        "import_not_completed": _(
            "The results can be downloaded once every number has its status."
        ),
        "cell_too_long": _("A cell of this row is too long: it was cut."),
        "import_rows_purged": _(
            "The numbers of this import and its results files were deleted: they are kept for "
            "a limited time after an import ends. Its counts are still shown."
        ),
        "import_expired": _(
            "This list waited too long for its columns or its start, so its file was deleted. "
            "Upload it again."
        ),
    }


def import_words() -> dict[str, Callable[[ApiError], str]]:
    """The sentences as refusals.py's table takes them."""
    return {code: _saying(words) for code, words in import_sentences().items()}


def _saying(words: str) -> Callable[[ApiError], str]:
    return lambda _error: words


def failure_words(error: Mapping[str, Any] | None) -> str:
    """Why an import failed (its `error`: `{"error": code, "message": sentence}`)."""
    error = error or {}
    known = import_sentences().get(str(error.get("error")))
    return known or str(error.get("message") or _("The file could not be read."))


def reason_words(code: str | None, reason: str | None) -> str | None:
    """A row's reason by its code when the catalogue has it, else the importer's sentence."""
    return import_sentences().get(code or "") or reason
