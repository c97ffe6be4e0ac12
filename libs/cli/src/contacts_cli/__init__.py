"""The `contacts` command-line tool (Typer + Rich) over the typed client."""
