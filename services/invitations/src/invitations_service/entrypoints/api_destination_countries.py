"""/v1/tenants/{tenant_id}/destination-countries: where a tenant's SMS invitations may go.

Who may read and change it is handlers/destinations.py's: members read it, admins change it,
anyone else gets 404 (and a member who is not an admin 403 for a change).
"""

from __future__ import annotations

import uuid
from contextlib import AbstractAsyncContextManager
from typing import Annotated

import structlog
from contacts_messaging.api import unit_of_work
from contacts_servicekit.openapi_conventions import problems
from contacts_servicekit.web.requests import Caller, CallerDep
from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from invitations_service.adapters.unit_of_work import PostgresInvitationsWork
from invitations_service.handlers import destinations
from invitations_service.handlers.destinations import DestinationCountries

router = APIRouter(
    prefix="/v1/tenants/{tenant_id}/destination-countries",
    tags=["destination countries"],
    responses=problems((404, "You belong to no tenant with this id (`tenant_not_found`)")),
)
_ADMINS_ONLY = problems((403, "Only the tenant's admins change it (`not_tenant_admin`)"))
log = structlog.get_logger(__name__)
CountryCode = Annotated[str, StringConstraints(min_length=2, max_length=3)]


class CountriesView(BaseModel):
    tenant_id: uuid.UUID
    explicit: bool = Field(description="Set by an admin; false: the members' countries apply")
    countries: list[str] = Field(description="Where SMS invitations may go now (ISO 3166)")
    member_countries: list[str] = Field(description="Where the tenant's members' phones are")

    @classmethod
    def of(cls, found: DestinationCountries) -> CountriesView:
        return cls(
            tenant_id=found.tenant_id, explicit=found.explicit, countries=found.countries,
            member_countries=found.member_countries,
        )  # fmt: skip


class SetCountries(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"countries": ["CH", "FR"]}]}
    )
    countries: list[CountryCode] = Field(
        max_length=300,
        description="ISO 3166 alpha-2 codes (FR, GB, ...); an empty list allows no SMS at all",
    )


def _work(request: Request, caller: Caller) -> AbstractAsyncContextManager[PostgresInvitationsWork]:
    return unit_of_work(request, PostgresInvitationsWork, caller.event_context())


@router.get("", response_model=CountriesView)
async def read_destination_countries(
    tenant_id: uuid.UUID, request: Request, caller: CallerDep
) -> CountriesView:
    """The countries the tenant's SMS invitations may go to, and its members' countries."""
    async with _work(request, caller) as work:
        found = await destinations.read_countries(work.tenants, caller.principal, tenant_id)
    return CountriesView.of(found)


@router.put("", response_model=CountriesView, responses=_ADMINS_ONLY)
async def replace_destination_countries(
    tenant_id: uuid.UUID, body: SetCountries, request: Request, caller: CallerDep
) -> CountriesView:
    """Allow SMS invitations only to these countries (tenant admins)."""
    async with _work(request, caller) as work:
        found = await destinations.replace_countries(
            work.tenants, caller.principal, tenant_id, body.countries
        )
    log.info(
        "tenant.destination_countries_set", tenant_id=str(tenant_id), countries=found.countries
    )
    return CountriesView.of(found)


@router.delete("", status_code=204, responses=_ADMINS_ONLY)
async def reset_destination_countries(
    tenant_id: uuid.UUID, request: Request, caller: CallerDep
) -> Response:
    """Drop the explicit list: the members' countries apply again (tenant admins)."""
    async with _work(request, caller) as work:
        await destinations.reset_countries(work.tenants, caller.principal, tenant_id)
    log.info("tenant.destination_countries_reset", tenant_id=str(tenant_id))
    return Response(status_code=204)
