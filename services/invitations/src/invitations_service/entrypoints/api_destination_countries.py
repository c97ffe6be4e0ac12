"""/v1/tenants/{tenant_id}/destination-countries: where a tenant's SMS invitations may go.

Members of the tenant read it; its admins (a token with role `admin` and the tenant in its
`tenant` or `company` claim, or an admin of the company as the directory announced) change it;
platform back-ends (role `service`) may do both for any tenant. Anyone else gets 404.
"""

from __future__ import annotations

import uuid
from typing import Annotated

import asyncpg
import structlog
from contacts_messaging.api import Caller, CallerDep, transaction
from contacts_servicekit.errors import NotAllowed, NotFound
from contacts_servicekit.openapi_conventions import problems
from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from invitations_service.adapters import tenants_repository as tenants
from invitations_service.adapters.unit_of_work import PostgresInvitationsWork
from invitations_service.domain.destinations import countries_from
from invitations_service.handlers.destinations import DestinationCountries, destination_countries
from invitations_service.handlers.ports import Tenants

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


@router.get("", response_model=CountriesView)
async def read_destination_countries(
    tenant_id: uuid.UUID, request: Request, caller: CallerDep
) -> CountriesView:
    """The countries the tenant's SMS invitations may go to, and its members' countries."""
    async with transaction(request) as conn:
        await _require(conn, caller, tenant_id, admin=False)
        return CountriesView.of(await destination_countries(_tenants(conn), tenant_id))


@router.put("", response_model=CountriesView, responses=_ADMINS_ONLY)
async def replace_destination_countries(
    tenant_id: uuid.UUID, body: SetCountries, request: Request, caller: CallerDep
) -> CountriesView:
    """Allow SMS invitations only to these countries (tenant admins)."""
    countries = countries_from(body.countries)
    async with transaction(request) as conn:
        await _require(conn, caller, tenant_id, admin=True)
        await tenants.set_countries(conn, tenant_id, countries, caller.principal.user_id)
        found = await destination_countries(_tenants(conn), tenant_id)
    log.info("tenant.destination_countries_set", tenant_id=str(tenant_id), countries=countries)
    return CountriesView.of(found)


@router.delete("", status_code=204, responses=_ADMINS_ONLY)
async def reset_destination_countries(
    tenant_id: uuid.UUID, request: Request, caller: CallerDep
) -> Response:
    """Drop the explicit list: the members' countries apply again (tenant admins)."""
    async with transaction(request) as conn:
        await _require(conn, caller, tenant_id, admin=True)
        await tenants.clear_countries(conn, tenant_id)
    log.info("tenant.destination_countries_reset", tenant_id=str(tenant_id))
    return Response(status_code=204)


def _tenants(conn: asyncpg.Connection) -> Tenants:
    return PostgresInvitationsWork(conn).tenants


async def _require(
    conn: asyncpg.Connection, caller: Caller, tenant_id: uuid.UUID, *, admin: bool
) -> None:
    """404 unless the caller belongs to the tenant; 403 when an admin is needed and they are
    not one. Platform back-ends (role `service`) pass."""
    principal = caller.principal
    if principal.has_role("service"):
        return
    claimed = str(tenant_id) in (principal.tenant_id, principal.company_id)
    membership = await tenants.company_of(conn, caller.user_id)
    member = membership is not None and membership["company_id"] == tenant_id
    if not (claimed or member):
        raise NotFound("tenant_not_found", "You belong to no tenant with this id.")
    if not admin or (claimed and principal.has_role("admin")):
        return
    if member and membership is not None and membership["role"] == "admin":
        return
    raise NotAllowed(
        "not_tenant_admin", "Only an admin of this tenant can change its destination countries."
    )
