"""`contacts invitations list|resend|delete`: the caller's pending invitations."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from contacts_client import Invitation
from rich.table import Table
from rich.text import Text

from contacts_cli.connection import connect
from contacts_cli.options import JsonOption
from contacts_cli.output import output, table
from contacts_cli.paging import PAGE_MAX, first_items

app = typer.Typer(no_args_is_help=True, help="Your pending invitations.")
InvitationId = Annotated[
    str, typer.Argument(help="The invitation's id, as `contacts invitations list` shows it.")
]


@app.command("list")
def list_invitations(
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many.")] = 50,
    as_json: JsonOption = False,
) -> None:
    """Your pending invitations, newest first."""
    out = output(as_json)
    with connect() as client:
        page = client.invitations.list_invitations(limit=min(limit, PAGE_MAX))
        invitations = first_items(
            page,
            lambda cursor: client.invitations.iter_invitations(cursor=cursor, limit=PAGE_MAX),
            limit,
        )
    out.result({"items": invitations}, invitations_table(invitations))


def invitations_table(invitations: list[Invitation]) -> Table:
    rows = [
        (i.destination, i.name or "-", f"{i.status} ({i.channel})",
         f"{i.send_count}x, last {_when(i.last_sent_at)}", _when(i.expires_at, "%Y-%m-%d"),
         i.invitation_id)
        for i in invitations
    ]  # fmt: skip
    columns = ("to", "name", "status", "sent", "expires", "id")
    count = len(invitations)
    return table(f"{count} pending invitation{'' if count == 1 else 's'}", columns, rows)


def _when(moment: datetime | None, shape: str = "%Y-%m-%d %H:%M") -> str:
    return "-" if moment is None else moment.astimezone().strftime(shape)


@app.command()
def resend(invitation_id: InvitationId, as_json: JsonOption = False) -> None:
    """Send an invitation again (refused within the cool-down: the answer says when)."""
    out = output(as_json)
    with connect() as client:
        invitation = client.invitations.resend_invitation(invitation_id)
    sent = f"Sent again to {invitation.destination} ({invitation.send_count} times in all)."
    out.result(invitation, Text(sent))


@app.command()
def delete(invitation_id: InvitationId, as_json: JsonOption = False) -> None:
    """Cancel a pending invitation."""
    out = output(as_json)
    with connect() as client:
        client.invitations.delete_invitation(invitation_id)
    out.result({"deleted": invitation_id}, Text("Invitation cancelled."))
