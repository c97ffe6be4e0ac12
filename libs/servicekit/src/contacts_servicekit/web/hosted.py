"""What the web edge needs of the process it serves: a protocol, so that the servicekit never
imports the messaging library (which implements it as `ServiceHost`)."""

from __future__ import annotations

from typing import Protocol

import asyncpg

from contacts_servicekit.principal import Principal
from contacts_servicekit.settings import ServiceSettings


class Host(Protocol):
    """A service's running parts: started and stopped with the app, its pool for requests."""

    @property
    def settings(self) -> ServiceSettings: ...

    @property
    def pool(self) -> asyncpg.Pool: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def readiness(self) -> dict[str, str]:
        """`/ready`'s checks, each named with its state."""
        ...

    async def refresh_metrics(self) -> None: ...

    def refuse_closed(self, principal: Principal) -> None:
        """Raise (a 401) when the principal's account is known to be closed."""
        ...
