"""Inviting an import's ready rows: by "Invite contact", or by the pipeline itself when the
import was uploaded with `invite=true` (at its completion, in the completing step's
transaction: once, whatever is redelivered or retried)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from contacts_events import InvitationChannel, InvitationRequested

from importer_service.domain.model import Import
from importer_service.handlers.ports import InvitingWork


async def request_invitations(
    work: InvitingWork, job: Import, rows: Sequence[int] | None
) -> tuple[int, int]:
    """One InvitationRequested per ready row of the completed `job` (all, or the `rows`
    chosen) whose number its owner did not ask to invite before; the rows' earlier refusals
    forgotten. Returns (requested, skipped)."""
    asked = [(uuid.uuid4(), row) for row in await work.invitations.ready(job.import_id, rows)]
    fresh = await work.invitations.record(job.owner_id, job.import_id, asked)
    requested = [(request_id, row) for request_id, row in asked if request_id in fresh]
    work.emit(
        *(
            InvitationRequested(
                import_id=job.import_id, inviter_id=job.owner_id, request_id=request_id,
                channel=InvitationChannel.SMS, phone_e164=row.phone_e164,
                row_number=row.row_number, display_name=row.name,
            )
            for request_id, row in requested
        )
    )  # fmt: skip
    await work.invitations.forget_refusals(job.import_id, [row.row_number for _, row in requested])
    return len(requested), len(asked) - len(requested)
