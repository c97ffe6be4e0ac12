"""The chunk's `ImportRowMatched` events: one per `user_added` row, on `importer.matches`.

The contacts service adds an import's matched users from these instead of reading every
`ImportRowValidated` (a few thousand matches in a million rows): the last match of a large
import became a contact minutes after the import completed when it had to read them all.
They go through the ordinary outbox in the transaction of the chunk's row events, so a row's
match is published if and only if its `ImportRowValidated` is.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from contacts_events import ImportRowMatched, ImportSource


def row_matches(
    import_id: UUID, owner_id: UUID, source: ImportSource, matched: Sequence[tuple[int, UUID]]
) -> list[ImportRowMatched]:
    """An `ImportRowMatched` for each `user_added` row: (row number, the user) each."""
    return [
        ImportRowMatched(
            import_id=import_id,
            owner_id=owner_id,
            source=source,
            row_number=row_number,
            matched_user_id=user,
        )
        for row_number, user in matched
    ]
