"""How the importer's creating routes answer: once per `Idempotency-Key` (a retry gets the
first answer and changes nothing: contacts_servicekit.web.idempotency), and a new import's 201 with
its `Location`."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
from contacts_servicekit.web.idempotency import IdempotentCall
from contacts_servicekit.web.requests import Caller, transaction
from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from importer_service.adapters.unit_of_work import PostgresImportsWork
from importer_service.entrypoints.app_state import imports_work

Work = Callable[[asyncpg.Connection], Awaitable[BaseModel]]
UseCase = Callable[[PostgresImportsWork], Awaitable[BaseModel]]


def in_unit_of_work(request: Request, caller: Caller, use_case: UseCase) -> Work:
    """`use_case` on the unit of work bound to the transaction `answered_once` opens: the
    events it emitted are written to the outbox when it returns, so they commit with it."""

    async def run(conn: asyncpg.Connection) -> BaseModel:
        work = imports_work(request, conn, caller.event_context())
        answer = await use_case(work)
        await work.write_emitted()
        return answer

    return run


async def answered_once(
    request: Request, caller: Caller, key: str | None, fingerprint: Any, status_code: int,
    work: Work,
) -> JSONResponse:  # fmt: skip
    """`work`'s answer, run in one transaction with the key's record; with a key used before
    for the same request, the first answer again (`Idempotent-Replayed: true`); for another
    request, 422 `idempotency_key_reused`."""
    call = IdempotentCall.of(request, caller.principal.user_id, key, fingerprint)
    async with transaction(request) as conn:
        answer = await call.earlier_response(conn)
        if answer is None:
            view = await work(conn)
            answer = await call.respond(conn, status_code, view.model_dump(mode="json"))
    if answer.status_code == 201:  # a new import says where it is, also when replayed
        body: dict[str, Any] = json.loads(bytes(answer.body))
        answer.headers["Location"] = f"/v1/imports/{body['import_id']}"
    return answer
