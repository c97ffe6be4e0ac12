"""The messaging side of an endpoint: the service host, its outbox, and a unit of work whose
events are written to the outbox in the request's transaction. The rest of what an endpoint
needs (the caller, connections, ConnectIDs) is the servicekit's (`contacts_servicekit.web`)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Annotated, TypeVar

import asyncpg
from contacts_events.envelope import EventContext
from contacts_servicekit.web.requests import transaction
from fastapi import Depends, Request

from contacts_messaging.host import ServiceHost
from contacts_messaging.outbox import Outbox
from contacts_messaging.unit_of_work import UnitOfWork

Work = TypeVar("Work", bound=UnitOfWork)


def get_host(request: Request) -> ServiceHost:
    host: ServiceHost = request.app.state.host
    return host


def get_outbox(request: Request) -> Outbox:
    return get_host(request).outbox


@asynccontextmanager
async def unit_of_work(
    request: Request, bind: Callable[[asyncpg.Connection], Work], context: EventContext
) -> AsyncIterator[Work]:
    """`transaction`, with the service's unit of work bound to it (`bind`): the events the use
    case emitted are written to the outbox when the block ends without an error, so they
    commit with the changes."""
    async with transaction(request) as conn:
        work = bind(conn)
        yield work
        await work.write_events(get_outbox(request), context)


OutboxDep = Annotated[Outbox, Depends(get_outbox)]
HostDep = Annotated[ServiceHost, Depends(get_host)]
