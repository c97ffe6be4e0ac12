"""One XML part of a workbook (a zip entry), streamed through expat a megabyte at a time: the
part is never held whole, and no tree is built.

Only start (and end) tags reach the handlers, as the reader names them (`table:table-row`:
prefixes are not resolved, as calamine does not resolve them either). A document type
declaration is refused: no workbook has one, and it is how entity bombs get in.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from xml.parsers import expat

from importer_service.adapters.sources.errors import UnsupportedFile, unreadable_workbook

READ_BYTES = 1024 * 1024

StartTag = Callable[[str, dict[str, str]], None]
EndTag = Callable[[str], None]


def stream_part(
    archive: zipfile.ZipFile, part: str, on_start: StartTag, on_end: EndTag | None = None
) -> None:
    """Feed `part` to the handlers; a part that is not well-formed XML is an unreadable file.
    Whatever the handlers raise (a limit passed) stops the reading at once."""
    parser = expat.ParserCreate()
    parser.StartElementHandler = on_start
    if on_end is not None:
        parser.EndElementHandler = on_end
    parser.StartDoctypeDeclHandler = _refuse_doctype
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(READ_BYTES):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise unreadable_workbook(f"{part}: {expat.ErrorString(error.code)}") from None
    except (KeyError, zipfile.BadZipFile, EOFError) as error:
        raise unreadable_workbook(f"{part}: {error}") from None


def _refuse_doctype(*_declaration: object) -> None:
    raise UnsupportedFile(
        "unreadable_file",
        "The workbook holds a document type declaration, which spreadsheets never write. "
        "Open it in your spreadsheet, save it again as .xlsx, and upload it again.",
    )
