"""The one error every source module raises for a file it will not read."""

from __future__ import annotations


class UnsupportedFile(Exception):
    """A file refused with a machine-readable `code` and a sentence for the person."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r}, {self.message!r})"


def unreadable_workbook(reason: str) -> UnsupportedFile:
    """A workbook its reader gave up on (damaged, or not what its name says)."""
    return UnsupportedFile(
        "unreadable_file",
        f"The workbook could not be read ({reason[:300]}). Open it in your spreadsheet, save "
        "it again as .xlsx, and upload it again.",
    )
