"""`contacts login`, `logout`, `whoami`: the directory's code flow and the stored session."""

from __future__ import annotations

from typing import Annotated

import typer
from contacts_client import ApiError, ContactsPlatform, Invalid, SignedIn, User
from rich.table import Table
from rich.text import Text

from contacts_cli.connection import connect, environment_token
from contacts_cli.options import JsonOption
from contacts_cli.output import Output, output, table
from contacts_cli.wiring import wiring

NAME_NEEDED = "display_name_required"
WRONG_CODE = "code_invalid"


def login(
    phone: Annotated[
        str | None, typer.Option(help="Your mobile number with its country code: +447700900123")
    ] = None,
    name: Annotated[
        str | None, typer.Option(help="Your name, if this number has no account yet (sign-up).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Sign in with a code sent by SMS (or sign up, when the number is new)."""
    out = output(as_json)
    phone = phone or typer.prompt("Mobile number (with its country code)", err=True)
    with connect(signed_in=False) as client:
        sent = client.auth.request_sign_in_code(phone)
        out.say(f"A code is on its way by SMS to {phone} (valid {sent.expires_in // 60} min).")
        signed = _sign_in(client, out, phone, name, attempts=sent.attempts)
    user = signed.user
    verb = "Signed up" if signed.signed_up else "Signed in"
    out.result(
        {"user": user, "signed_up": signed.signed_up},
        Text(f"{verb} as {user.display_name} (ConnectID {user.connect_id})."),
    )
    if environment_token():
        out.stderr.print("Note: CONTACTS_TOKEN is set, and is used instead while it is.")


def _sign_in(
    client: ContactsPlatform, out: Output, phone: str, name: str | None, attempts: int
) -> SignedIn:
    """Ask for the code again while it is wrong (the service counts the tries too), and for a
    name when the number signs up: the code stays usable when only the name was missing."""
    code, wrong = typer.prompt("Code from the SMS", err=True), 0
    while True:
        try:
            return client.auth.sign_in(phone, code, display_name=name)
        except Invalid as refused:
            if refused.error == NAME_NEEDED and name is None:
                name = typer.prompt("No account has this number yet. Your name", err=True)
            elif refused.error == WRONG_CODE and wrong + 1 < attempts:
                wrong += 1
                out.stderr.print(Text(f"{refused.detail} Try again."))
                code = typer.prompt("Code from the SMS", err=True)
            else:
                raise


def logout(as_json: JsonOption = False) -> None:
    """End the session on the server and forget its tokens here."""
    out = output(as_json)
    store = wiring().store
    stored = store.load()
    if stored is None:
        out.result({"signed_out": False}, "Not signed in.")
        return
    try:
        with connect(signed_in=False) as client:
            client.auth.sign_out(stored.refresh_token)
    except ApiError:
        pass  # the session had ended already (expired, revoked): forgetting it is all there is
    finally:
        store.clear()
    out.result({"signed_out": True}, "Signed out.")


def whoami(as_json: JsonOption = False) -> None:
    """Who the token belongs to: name, ConnectID, phone, email, company."""
    out = output(as_json)
    with connect() as client:
        me = client.users.read_me()
    out.result(me, profile_table(me))


def profile_table(me: User) -> Table:
    rows = [
        ("name", me.display_name),
        ("ConnectID", me.connect_id),
        ("phone", me.phone),
        ("email", me.email or "-"),
        ("company", f"{me.company_id} ({me.company_role})" if me.company_id else "-"),
        ("user id", me.user_id),
    ]
    return table(None, ("", "you"), rows)
