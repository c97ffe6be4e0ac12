"""What commands talk to. A test passes its own as the context object
(``CliRunner().invoke(app, args, obj=Wiring(transport=...))``); the root group makes it the
current one for the command it runs."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field

import httpx
from contacts_client import RetryPolicy

from contacts_cli.token_store import TokenStore


@dataclass(frozen=True)
class Wiring:
    """The HTTP transport (None: the network), the session file, the client's retries."""

    transport: httpx.BaseTransport | None = None
    store: TokenStore = field(default_factory=TokenStore)
    retries: RetryPolicy | None = None


_current: ContextVar[Wiring | None] = ContextVar("contacts_cli_wiring", default=None)


def use(wiring: Wiring | None) -> None:
    """Make ``wiring`` (None: the real one) the current command's."""
    _current.set(wiring)


def wiring() -> Wiring:
    """The running command's wiring: the test's, or the real one."""
    return _current.get() or Wiring()
