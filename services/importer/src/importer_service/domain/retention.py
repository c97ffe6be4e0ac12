"""How long an import keeps its rows and file (docs/data-retention.md, "Import rows and files").

A finished import (completed, failed, replaced) keeps its rows, their refusals and duplicate
markers, and its uploaded file for the retention after it finished; then the purge deletes
them and only the import itself stays, with its counts. Rows are gone for the API as soon as
the retention has passed, whether or not the purge has reached them yet: an import being
purged (its rows deleted over several short transactions) is never shown half deleted.

An upload left waiting for its owner (columns not confirmed, or rows read but never started)
longer than the retention expires: it ends `failed` with `import_expired`, its file is deleted
at once, and its rows follow one retention later like any finished import's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from importer_service.domain.model import Import, ImportStatus

WAITING_FOR_OWNER = (ImportStatus.UPLOADED, ImportStatus.EXTRACTED)
"""What expires: an import nobody is working on until its owner acts."""
ROWS_PURGED = "import_rows_purged"
EXPIRED = "import_expired"


@dataclass(frozen=True)
class ImportRetention:
    days: float  # IMPORT_RETENTION_DAYS

    @property
    def period(self) -> timedelta:
        return timedelta(days=self.days)

    def rows_kept_until(self, job: Import) -> datetime | None:
        """When the import's rows and file go; None while it runs or waits for its owner."""
        return job.finished_at + self.period if job.finished_at is not None else None

    def rows_gone(self, job: Import, now: datetime) -> bool:
        """Whether the import's rows are past their retention (purged, or about to be)."""
        until = self.rows_kept_until(job)
        return job.rows_purged_at is not None or (until is not None and until <= now)

    def gone_message(self, import_id: UUID) -> str:
        return (
            f"The rows and files of this import were deleted: they are kept {self.kept_for} "
            "after an import finishes (IMPORT_RETENTION_DAYS). Its counts are still in "
            f"GET /v1/imports/{import_id}."
        )

    def expired_error(self) -> dict[str, str]:
        """The `error` of an import that waited for its owner longer than the retention."""
        return {
            "error": EXPIRED,
            "message": f"This import waited more than {self.kept_for} for its columns or its "
            "start (IMPORT_RETENTION_DAYS), so its file was deleted. Upload the file again.",
        }

    @property
    def kept_for(self) -> str:
        """`30 days`, `1 day`, `1.5 days`."""
        return f"{self.days:g} day" + ("" if self.days == 1 else "s")
