"""Pasted numbers: wait briefly for their statuses, and the text of an import's numbers again
for the user to correct (the seed's Back).

The importer computes a paste's statuses at once; the page waits a few seconds for them so
that the user lands on the statuses themselves, else on the progress part of the same page."""

from __future__ import annotations

import asyncio
from uuid import UUID

from contacts_client import AsyncContactsPlatform, Import

WAIT_SECONDS = 4.0
POLL_SECONDS = 0.2
# what the page's form can send back: the web app takes forms of 64 KiB, and a form encodes
# "+", "," and a new line in 3 to 6 bytes each
MAX_TEXT_CHARS = 30_000


async def statuses_of(
    platform: AsyncContactsPlatform, imported: Import, seconds: float = WAIT_SECONDS
) -> Import:
    """The import once it is finished, or as it is after `seconds` of waiting."""
    for _attempt in range(round(seconds / POLL_SECONDS)):
        if imported.finished:
            break
        await asyncio.sleep(POLL_SECONDS)
        imported = await platform.imports.read_import(imported.import_id)
    return imported


async def numbers_text(platform: AsyncContactsPlatform, import_id: UUID) -> str:
    """The numbers of an import as typed, one a line (the importer splits on new lines as
    on commas and tabs), up to what the form can send back."""
    numbers: list[str] = []
    length = 0
    async for row in platform.imports.iter_rows(import_id, limit=500):
        length += len(row.raw_phone) + 1
        if length > MAX_TEXT_CHARS:
            break
        numbers.append(row.raw_phone)
    return "\n".join(numbers)
