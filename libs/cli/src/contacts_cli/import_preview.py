"""What an upload answered, shown before the import starts: the file's sheets (the one read
marked), its text encoding, which column holds what, and its first rows."""

from __future__ import annotations

from collections.abc import Mapping

from contacts_client import Upload
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from contacts_cli.output import table

SAMPLE_ROWS_SHOWN = 5
FIELDS = ("phone", "first_name", "last_name", "display_name", "email", "country")


def preview(upload: Upload, mapping: Mapping[str, str | None]) -> RenderableType:
    """The file, the columns as they will be read (``mapping``: field -> header) and samples."""
    return Group(file_line(upload), columns_table(upload.headers, mapping), samples_table(upload))


def file_line(upload: Upload) -> Text:
    """``people.xlsx, sheet "Contacts" (sheets: "Notes", "Contacts"), encoding windows-1251``."""
    words = Text(upload.filename or "the file", style="bold")
    if upload.sheet:
        words.append(f', sheet "{upload.sheet}"')
    if len(upload.sheets) > 1:
        words.append(" (sheets: " + ", ".join(f'"{s.name}"' for s in upload.sheets) + ")")
    if upload.encoding:  # text files only
        words.append(f", encoding {upload.encoding} (--encoding NAME to correct it)")
    return words


def columns_table(headers: list[str], mapping: Mapping[str, str | None]) -> Table:
    rows = [(field.replace("_", " "), mapping.get(field) or "-") for field in FIELDS]
    shown = table("Columns (--map FIELD=HEADER to change one)", ("field", "column"), rows)
    used = {header for header in mapping.values() if header}
    unused = [header for header in headers if header not in used]
    if unused:
        shown.caption = Text("not used: " + ", ".join(unused))
    return shown


def samples_table(upload: Upload) -> Table:
    rows = upload.sample_rows[:SAMPLE_ROWS_SHOWN]
    return table(f"First {len(rows)} rows", upload.headers, rows)
