"""How an import ended, told once it has: its counts per status, the invitations asked for,
the results file saved, and the exit code (4 when it failed, or rejected rows and
``--fail-on-rejected``)."""

from __future__ import annotations

from pathlib import Path

import typer
from contacts_client import ContactsPlatform, Gone, Import, InvitationsRequested
from rich.console import Group, RenderableType
from rich.text import Text

from contacts_cli.exit_codes import ExitCode
from contacts_cli.failures import Failed
from contacts_cli.output import Output
from contacts_cli.statuses import counts_table, rejected_rows

RESULT_FORMATS = (".csv", ".xlsx")


def checked_results_path(path: Path | None) -> Path | None:
    """``--results``: a .csv or .xlsx file name (checked before anything is uploaded)."""
    if path is not None and path.suffix.lower() not in RESULT_FORMATS:
        raise typer.BadParameter("give a file name ending in .csv or .xlsx", param_hint="--results")
    return path


def finish(
    client: ContactsPlatform, out: Output, import_id: str, *, invite: bool,
    results: Path | None, fail_on_rejected: bool,
) -> None:  # fmt: skip
    """Tell how the import stands now and end with its exit code."""
    job = client.imports.read_import(import_id)
    completed = job.status == "completed"
    invited = client.imports.invite_rows(import_id) if invite and completed else job.invitations
    try:
        saved = save_results(client, out, import_id, results) if results and completed else None
    except Gone as gone:  # finished longer ago than the retention: the counts are still here
        out.say(outcome(job, invited, None))  # for the person; a script gets the problem
        raise Failed(f"The results were not saved. {gone.detail}", ExitCode.API_REFUSED,
                     {"error": gone.error, "import_id": import_id}) from None  # fmt: skip
    answer = {"import": job, "invitations": invited, "results_file": saved and str(saved)}
    out.result(answer, outcome(job, invited, saved))
    _exit(job, out, fail_on_rejected)


def save_results(client: ContactsPlatform, out: Output, import_id: str, path: Path) -> Path:
    """Every row with its status and reason, streamed into ``path`` (.csv or .xlsx)."""
    with out.people.status(f"Saving the results to {path}..."):
        if path.suffix.lower() == ".xlsx":
            return client.imports.download_results_xlsx(import_id, path)
        return client.imports.download_results_csv(import_id, path)


def outcome(
    job: Import, invited: InvitationsRequested | None, saved: Path | None
) -> RenderableType:
    parts: list[RenderableType] = [status_line(job)]
    if job.counts:
        parts.append(counts_table(job.counts))
    if invited is not None:
        parts.append(invitations_text(invited))
    if saved is not None:
        parts.append(Text(f"Results saved to {saved} (every row, its status and reason)."))
    if job.rows_purged_at is not None:
        parts.append(Text(f"Its rows and results were deleted on {job.rows_purged_at:%Y-%m-%d} "
                          "(kept for a while after an import finishes); the counts stay."))  # fmt: skip
    return Group(*parts)


def invitations_text(invited: InvitationsRequested) -> Text:
    return Text(f"Invitations requested: {invited.requested:,} "
                f"({invited.skipped:,} ready rows had been invited before).")  # fmt: skip


def status_line(job: Import) -> Text:
    """``Import 4f1c...: completed, 12,345 rows.``, or why it failed or did not start."""
    line = Text(f"Import {job.import_id}: ")
    reason = (job.error or {}).get("message") or (job.error or {}).get("detail")
    if job.status == "failed":
        return line.append(f"failed. {reason or ''}", style="red")
    line.append(job.status, style="bold")
    if job.total_rows is not None:
        line.append(f", {job.total_rows:,} rows")
    if job.status in ("uploaded", "extracted"):
        line.append(" (not started)")
        if reason:  # an upload that was to start by itself, and could not (a quota)
            line.append(f": {reason}", style="yellow")
    return line.append(".")


def _exit(job: Import, out: Output, fail_on_rejected: bool) -> None:
    if job.status == "failed":
        raise typer.Exit(int(ExitCode.IMPORT_NOT_CLEAN))
    rejected = rejected_rows(job.counts)
    if fail_on_rejected and rejected:
        out.stderr.print(f"{rejected:,} rows were rejected (--fail-on-rejected).")
        raise typer.Exit(int(ExitCode.IMPORT_NOT_CLEAN))
