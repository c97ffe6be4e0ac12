"""Options several commands share."""

from __future__ import annotations

from typing import Annotated

import typer

JsonOption = Annotated[
    bool,
    typer.Option(
        "--json", help="Print the answer as JSON on stdout, and nothing else there (for scripts)."
    ),
]
