"""/v1/connect-ids/{connect_id}: find a user or contact point by ConnectID (public profile)."""

from __future__ import annotations

from typing import Annotated

from contacts_servicekit.openapi_conventions import problems
from contacts_servicekit.responses import ModelResponse
from contacts_servicekit.web.requests import CallerDep, connect_id_from
from fastapi import APIRouter, Path, Request

from directory_service.entrypoints.schemas import LookedUpView, PublicProfileView
from directory_service.handlers import lookups

router = APIRouter(prefix="/v1/connect-ids", tags=["lookup"])


@router.get(
    "/{connect_id}",
    response_model=LookedUpView,
    responses=problems(
        (404, "No user or contact point has this ConnectID"),
        (422, "Not a ConnectID (checked before any look-up)"),
        (429, "Too many look-ups (`connect_id_lookup`)"),
    ),
)
async def look_up_connect_id(
    connect_id_text: Annotated[str, Path(alias="connect_id", max_length=40)],
    request: Request,
    caller: CallerDep,
) -> ModelResponse:
    """The public profile behind a ConnectID (`K7Q-M2X-9HB`, any case, with or without
    hyphens), and the `add_token` the contacts service needs to add it. Look-ups are limited
    per user, because a series of them could enumerate users."""
    wanted = connect_id_from(connect_id_text)
    state = request.app.state
    found = await lookups.look_up(
        state.host.pool, state.lookup_limit, state.identity.issuer, caller.principal.user_id, wanted
    )
    view = PublicProfileView.of(found.profile).model_dump()
    return ModelResponse(LookedUpView(**view, add_token=found.add_token))
