"""The import's status changes (domain/lifecycle.py): every change the table allows is made,
every other one is refused, by the table and by each method of `Import` that changes the
status; and the changes made in SQL (a closed account, an expiry) move along the table too."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from contacts_servicekit.domain_errors import Conflicting
from importer_service.domain.lifecycle import (
    ALLOWED,
    CREATED_AS,
    FINISHED,
    UNFINISHED,
    ForbiddenTransition,
    ImportStatus,
    checked_change,
)
from importer_service.domain.model import Import, NewImport
from importer_service.domain.retention import WAITING_FOR_OWNER
from importer_service.handlers.mapping import CHANGEABLE

pytestmark = pytest.mark.unit

S = ImportStatus
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ALLOWED_PAIRS = [
    (S.UPLOADED, S.UPLOADED), (S.UPLOADED, S.EXTRACTING), (S.UPLOADED, S.REPLACED),
    (S.UPLOADED, S.FAILED),
    (S.EXTRACTING, S.EXTRACTED), (S.EXTRACTING, S.REPLACED), (S.EXTRACTING, S.FAILED),
    (S.EXTRACTED, S.VALIDATING), (S.EXTRACTED, S.UPLOADED), (S.EXTRACTED, S.EXTRACTING),
    (S.EXTRACTED, S.REPLACED), (S.EXTRACTED, S.FAILED),
    (S.VALIDATING, S.COMPLETED), (S.VALIDATING, S.FAILED),
    (S.FAILED, S.UPLOADED), (S.FAILED, S.EXTRACTING), (S.FAILED, S.REPLACED),
]  # fmt: skip
"""The import's life as the README tells it, written out here so that a change of the table
in lifecycle.py fails this test until it is agreed with."""
FORBIDDEN_PAIRS = [pair for pair in itertools.product(S, S) if pair not in ALLOWED_PAIRS]

CHANGES: dict[str, tuple[ImportStatus, Callable[[Import], Import]]] = {
    "read_again": (S.UPLOADED, lambda j: j.read_again([], None, "utf-8", ["Phone"], {})),
    "columns_confirmed": (S.EXTRACTING, lambda j: j.columns_confirmed({"phone": 0}, "FR")),
    "extracted": (S.EXTRACTED, lambda j: j.extracted(3)),
    "started": (S.VALIDATING, lambda j: j.started(2, NOW)),
    "completed": (S.COMPLETED, lambda j: j.completed({"invalid": 3}, NOW)),
    "failed": (S.FAILED, lambda j: j.failed("binary_content", "A NUL in row 2.")),
    "replaced": (S.REPLACED, lambda j: j.replaced()),
}
"""Each method that changes the status, and the status it changes to."""


def an_import(status: ImportStatus) -> Import:
    return Import(
        import_id=uuid.uuid4(), owner_id=uuid.uuid4(), source="file", filename="a.csv",
        file_format="csv", sheets=[], sheet=None, encoding="utf-8", headers=["Phone"],
        mapping={"phone": 0}, default_region="FR", status=status, error=None, total_rows=3,
        chunk_count=2, parsed_chunks=2, emitted_chunks=1, counts={"invalid": 1}, rows_parsed=3,
        rows_done=1, auto_start=False, auto_invite=False, invitations=None, created_at=NOW,
        completed_at=None, finished_at=None, rows_purged_at=None,
    )  # fmt: skip


@pytest.mark.parametrize(("current", "target"), ALLOWED_PAIRS)
def test_every_change_the_table_allows_is_made(current: ImportStatus, target: ImportStatus):
    assert checked_change(current, target) is target


@pytest.mark.parametrize(("current", "target"), FORBIDDEN_PAIRS)
def test_every_other_change_is_refused_as_a_conflict(current: ImportStatus, target: ImportStatus):
    with pytest.raises(ForbiddenTransition) as refused:
        checked_change(current, target)

    assert isinstance(refused.value, Conflicting)
    assert refused.value.code == "import_status_conflict"
    assert f"is {current.value} cannot become {target.value}" in refused.value.message


def test_the_table_has_every_status_and_only_unfinished_ones_move_on_but_a_failed_file():
    assert {(a, b) for a, targets in ALLOWED.items() for b in targets} == set(ALLOWED_PAIRS)
    assert set(ALLOWED) == set(S)
    assert {s for s in S if ALLOWED[s]} == UNFINISHED | {S.FAILED}
    assert set(S) - UNFINISHED == FINISHED
    assert not ALLOWED[S.COMPLETED] and not ALLOWED[S.REPLACED]


@pytest.mark.parametrize(
    ("method", "current"), list(itertools.product(CHANGES, S)),
    ids=[f"{method}-from-{current}" for method, current in itertools.product(CHANGES, S)],
)  # fmt: skip
def test_each_method_changes_the_status_exactly_when_the_table_allows_it(
    method: str, current: ImportStatus
):
    target, change = CHANGES[method]
    job = an_import(current)

    if (current, target) in ALLOWED_PAIRS:
        assert change(job).status is target
        assert job.status is current  # the import read is left as it was
    else:
        with pytest.raises(ForbiddenTransition):
            change(job)


def test_a_change_notes_the_columns_it_touched_and_no_others():
    started = an_import(S.EXTRACTED).started(4, NOW, 5_000)

    assert started.unsaved == {
        "status", "chunk_count", "parsed_chunks", "emitted_chunks", "rows_parsed", "rows_done",
        "counts", "error", "started_at", "chunk_rows",
    }  # fmt: skip
    assert (started.chunk_count, started.chunk_rows, started.parsed_chunks) == (4, 5_000, 0)
    assert started.rows_done == 0
    assert started.counts is None and started.started_at == NOW
    assert an_import(S.UPLOADED).unsaved == frozenset()


def test_changes_made_one_after_another_add_up_their_columns():
    job = an_import(S.UPLOADED).in_region("GB").columns_confirmed({"phone": 0}, "GB")

    assert {"default_region", "status", "mapping", "error", "total_rows"} == job.unsaved


def test_a_refused_start_keeps_an_extracted_import_waiting_with_its_error():
    error = {"error": "rate_limited", "message": "Later.", "retry_after": 60}
    refused = an_import(S.EXTRACTED).start_refused(error)

    assert (refused.status, refused.error, refused.unsaved) == (S.EXTRACTED, error, {"error"})
    with pytest.raises(ForbiddenTransition):
        an_import(S.VALIDATING).start_refused(error)


def test_what_the_invitation_at_completion_did_is_noted_on_a_completed_import_only():
    invited = an_import(S.COMPLETED).invited(2, 1)

    assert invited.invitations == {"requested": 2, "skipped": 1}
    with pytest.raises(ForbiddenTransition):
        an_import(S.VALIDATING).invited(2, 1)


@pytest.mark.parametrize("status", list(S))
def test_an_import_is_created_uploaded_extracting_or_extracted_only(status: ImportStatus):
    def create() -> NewImport:
        return NewImport(uuid.uuid4(), uuid.uuid4(), "file", status, "FR")

    if status in CREATED_AS:
        assert create().status is status
    else:
        with pytest.raises(ForbiddenTransition, match="is new cannot become"):
            create()


def test_the_changes_made_in_sql_move_along_the_table():
    """A closed account fails every unfinished import, an expiry every import waiting for its
    owner (set-based statements with SKIP LOCKED), and "Next" or another sheet take up the
    imports whose columns may change: each only where the table allows it."""
    assert all(S.FAILED in ALLOWED[s] for s in UNFINISHED)
    assert all(S.FAILED in ALLOWED[s] for s in WAITING_FOR_OWNER)
    assert all({S.UPLOADED, S.EXTRACTING} <= ALLOWED[s] for s in CHANGEABLE)
