"""How a failed command ends: one place turns what went wrong into words on stderr and an
exit code (exit_codes.py), for every command below the root group."""

from __future__ import annotations

import json
from typing import Any

import httpx
import typer
from contacts_client.errors import ApiError
from rich.console import Console
from rich.text import Text
from typer.core import TyperGroup

from contacts_cli.exit_codes import ExitCode
from contacts_cli.output import forget_json_request, json_requested
from contacts_cli.wiring import Wiring
from contacts_cli.wiring import use as use_wiring

SIGN_IN_HINT = "Run `contacts login` to sign in."


class NotSignedIn(Exception):
    """No token to send: never signed in, signed out, or the stored session was refused."""


class Failed(Exception):
    """A command ended without doing what was asked, for a reason it explains itself."""

    def __init__(self, message: str, code: ExitCode, data: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.data = data or {}


class ContactsGroup(TyperGroup):
    """The root group: runs the command and ends any failure with its exit code."""

    def invoke(self, ctx: Any) -> Any:  # typer's own click Context, which it does not export
        forget_json_request()
        use_wiring(ctx.obj if isinstance(ctx.obj, Wiring) else None)
        try:
            return super().invoke(ctx)
        except ApiError as refused:
            code = ExitCode.NOT_SIGNED_IN if refused.status == 401 else ExitCode.API_REFUSED
            _report(api_problem(refused), code)
        except NotSignedIn as missing:
            detail = str(missing) or f"Not signed in. {SIGN_IN_HINT}"
            problem = {"error": "not_signed_in", "detail": detail}
            _report(problem, ExitCode.NOT_SIGNED_IN)
        except httpx.TransportError as unreachable:
            problem = {"error": "unreachable", "detail": unreachable_sentence(unreachable)}
            _report(problem, ExitCode.UNREACHABLE)
        except Failed as failed:
            _report({"error": "failed", "detail": str(failed), **failed.data}, failed.code)
        except (KeyboardInterrupt, typer.Abort):  # a prompt turns Ctrl-C into Abort
            _report({"error": "interrupted", "detail": "Interrupted."}, ExitCode.INTERRUPTED)


def api_problem(refused: ApiError) -> dict[str, Any]:
    """The problem details as the service sent them, with the members the tool relies on."""
    fields = {"status": refused.status, "error": refused.error, "title": refused.title}
    return {**refused.problem, **fields, "detail": refused.detail, "field": refused.field}


def unreachable_sentence(error: httpx.TransportError) -> str:
    try:
        where = str(error.request.url.copy_with(path="/", query=None))
    except RuntimeError:  # an error raised before any request was made
        where = "the service"
    return f"Could not reach {where} ({type(error).__name__}). Is the platform running?"


def _report(problem: dict[str, Any], code: ExitCode) -> None:
    """The problem on stderr (as JSON with --json), then the exit code."""
    if json_requested():
        typer.echo(json.dumps(problem, ensure_ascii=False), err=True)
    else:
        Console(stderr=True, highlight=False).print(problem_text(problem))
    raise typer.Exit(int(code))


def problem_text(problem: dict[str, Any]) -> Text:
    """``Error: <title> (<status>): <detail> [field: <field>]``, in words for a person."""
    interrupted = problem.get("error") == "interrupted"
    text = Text("" if interrupted else "Error: ", style="bold red")
    if problem.get("title"):
        text.append(f"{problem['title']} ({problem.get('status')}): ")
    text.append(str(problem.get("detail") or problem.get("error")))
    if problem.get("field"):
        text.append(f" [field: {problem['field']}]")
    if problem.get("error") and problem.get("title"):
        text.append(f" [{problem['error']}]", style="dim")
    if problem.get("status") == 401:
        text.append(f"\n{SIGN_IN_HINT}")
    return text
