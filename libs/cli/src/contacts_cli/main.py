"""The `contacts` command: its commands, one module per group under commands/, and its entry
point. Exit codes: exit_codes.py."""

from __future__ import annotations

import typer

from contacts_cli.commands import account, contacts, imports, invitations, paste
from contacts_cli.failures import ContactsGroup

app = typer.Typer(
    cls=ContactsGroup, no_args_is_help=True, pretty_exceptions_show_locals=False,
    help="The contacts platform from a terminal: sign in, add and archive contacts, check "
    "pasted numbers, import lists and watch them, manage invitations. Every command takes "
    "--json. Exit codes: 0 done, 1 refused by the API, 2 usage, 3 not signed in, 4 import "
    "failed (or rows rejected with --fail-on-rejected), 5 service unreachable, 130 Ctrl-C.",
)  # fmt: skip

app.command()(account.login)
app.command()(account.logout)
app.command()(account.whoami)
app.command()(contacts.add)
app.command("list")(contacts.list_contacts)
app.command()(contacts.archive)
app.command()(contacts.unarchive)
app.command()(paste.paste)
app.add_typer(imports.app, name="import")
app.add_typer(invitations.app, name="invitations")


def main() -> None:
    """The console script."""
    app(prog_name="contacts")
