"""What `contacts` exits with, so that a script can tell the outcomes apart without parsing
output. The README's table is this enum's docstrings."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    """The command did what it was asked."""

    API_REFUSED = 1
    """A service answered with a problem (shown on stderr: title, detail, field)."""

    USAGE = 2
    """The command line was wrong (an unknown option, a missing argument, a bad value)."""

    NOT_SIGNED_IN = 3
    """No token: never signed in, signed out, or the session ended (run `contacts login`)."""

    IMPORT_NOT_CLEAN = 4
    """The import ended `failed`, or with rejected rows when `--fail-on-rejected` asked."""

    UNREACHABLE = 5
    """A service could not be reached (wrong address, service down, network)."""

    INTERRUPTED = 130
    """Ctrl-C. An import keeps running on the server: `contacts import status ID` re-attaches."""
