"""An import's statuses and the one table of the changes allowed between them.

Every status change the handlers make goes through a method of `model.Import` (`extracted`,
`started`, `completed`, `failed`, ...), which checks it against `ALLOWED` and raises
`ForbiddenTransition` (a `Conflicting`: 409) for any other; `imports_repository.save` then
writes it. Three changes are made in SQL instead, each a set-based statement that must lock
its imports with `SKIP LOCKED` (an import a long step holds is not waited for), and each moves
only along this table (tests/test_importer_domain_lifecycle.py holds them to it):

- an owner's account closed: every `UNFINISHED` import becomes `failed`
  (`imports_repository.fail_unfinished`);
- the retention purge: imports waiting for their owner (`retention.WAITING_FOR_OWNER`)
  longer than the retention become `failed` (`adapters/import_purge.py`);
- `finished_at` follows the status in a trigger (migration 0008): set on reaching a
  `FINISHED` status, cleared when a failed import is taken up again.

The pipeline's chunk steps change counters (`count_chunk_done`), never the status: the step
that counts the last chunk calls `handlers/completion.complete`, which goes through the table.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from contacts_servicekit.domain_errors import Conflicting


class ImportStatus(StrEnum):
    UPLOADED = "uploaded"  # file stored, columns guessed; the mapping may be corrected
    EXTRACTING = "extracting"  # rows being read from the file with the mapping
    EXTRACTED = "extracted"  # rows ready for review
    VALIDATING = "validating"  # statuses being computed
    COMPLETED = "completed"
    FAILED = "failed"
    REPLACED = "replaced"  # the user went back and uploaded a corrected file


_S = ImportStatus
ALLOWED: Mapping[ImportStatus, frozenset[ImportStatus]] = MappingProxyType(
    {
        # another sheet or encoding read (uploaded again), the columns confirmed, "Back"
        # with a corrected file, the owner's account closed or the upload expired
        _S.UPLOADED: frozenset({_S.UPLOADED, _S.EXTRACTING, _S.REPLACED, _S.FAILED}),
        # the rows read, "Back", the file refused further in or the account closed
        _S.EXTRACTING: frozenset({_S.EXTRACTED, _S.REPLACED, _S.FAILED}),
        # started, or the person changes the sheet, encoding or columns before starting
        _S.EXTRACTED: frozenset(
            {_S.VALIDATING, _S.UPLOADED, _S.EXTRACTING, _S.REPLACED, _S.FAILED}
        ),
        # the last chunk emitted, or the account closed: "Back" no longer stops it
        _S.VALIDATING: frozenset({_S.COMPLETED, _S.FAILED}),
        _S.COMPLETED: frozenset(),
        # a failed file taken up again (another sheet, encoding or columns), or replaced
        _S.FAILED: frozenset({_S.UPLOADED, _S.EXTRACTING, _S.REPLACED}),
        _S.REPLACED: frozenset(),
    }
)
"""For each status, the statuses an import in it may change to (nothing else)."""

CREATED_AS = frozenset({_S.UPLOADED, _S.EXTRACTING, _S.EXTRACTED})
"""The first status of an import: an upload (extracting when its columns came with it), or
pasted numbers (extracted: the rows are the numbers)."""

UNFINISHED = frozenset({_S.UPLOADED, _S.EXTRACTING, _S.EXTRACTED, _S.VALIDATING})
"""What a closure of the owner's account stops (it then ends `failed`)."""

FINISHED = frozenset({_S.COMPLETED, _S.FAILED, _S.REPLACED})
"""Where an import ends (`finished_at`); only a failed file may be taken up again."""


class ForbiddenTransition(Conflicting):
    """A status change the table does not allow (a handler's bug, or a race it lost)."""

    def __init__(self, current: ImportStatus | None, target: ImportStatus) -> None:
        was = f"is {current.value}" if current is not None else "is new"
        super().__init__(
            "import_status_conflict", f"An import that {was} cannot become {target.value}."
        )
        self.current, self.target = current, target


def may_change(current: ImportStatus, target: ImportStatus) -> bool:
    return target in ALLOWED[current]


def checked_change(current: ImportStatus, target: ImportStatus) -> ImportStatus:
    """`target`, if an import `current` may change to it; ForbiddenTransition otherwise."""
    if not may_change(current, target):
        raise ForbiddenTransition(current, target)
    return target


def checked_creation(status: ImportStatus) -> ImportStatus:
    """`status`, if an import may start in it; ForbiddenTransition otherwise."""
    if status not in CREATED_AS:
        raise ForbiddenTransition(None, status)
    return status
