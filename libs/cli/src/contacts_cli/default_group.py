"""A command group with a default command, so that `contacts import FILE` and
`contacts import status ID` both read naturally: whatever does not name one of the group's
commands (a file name, an option) is handed to the default one."""

from __future__ import annotations

from typing import Any, ClassVar

from typer.core import TyperGroup


class DefaultCommandGroup(TyperGroup):
    """Runs ``default_command`` when the first word is not one of the group's commands."""

    default_command: ClassVar[str] = "file"

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # typer's click Context
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)
