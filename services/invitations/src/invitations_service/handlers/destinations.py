"""Whether a tenant may invite a number of this country, and the tenant's list as its admins
see and change it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from invitations_service.domain.destinations import refused_country, region_of
from invitations_service.handlers.ports import Tenants


async def tenant_of(
    tenants: Tenants, inviter_id: uuid.UUID, claimed: str | None
) -> uuid.UUID | None:
    """The inviter's company as the directory announced it; failing that, the tenant the
    request carries (token claim or event attribute) when it is a company id; else none."""
    company = await tenants.company_of(inviter_id)
    if company is not None:
        return company
    try:
        return uuid.UUID(claimed) if claimed else None
    except ValueError:
        return None


async def check_country(tenants: Tenants, tenant_id: uuid.UUID, phone_e164: str) -> None:
    """Refused (`country_not_allowed`, on `phone`) unless the tenant may invite this number
    (domain.destinations.refused_country says when)."""
    region = region_of(phone_e164)
    explicit = await tenants.explicit_countries(tenant_id)
    if explicit is None and await tenants.has_member_in(tenant_id, region):
        return  # the usual case, one index probe
    members = await tenants.member_regions(tenant_id) if explicit is None else []
    refusal = refused_country(region, explicit, members)
    if refusal is not None:
        raise refusal


@dataclass(frozen=True)
class DestinationCountries:
    tenant_id: uuid.UUID
    explicit: bool  # set by an admin; else the members' countries apply
    countries: list[str]  # the countries invitations may go to now
    member_countries: list[str]  # where the tenant's members' phones are


async def destination_countries(tenants: Tenants, tenant_id: uuid.UUID) -> DestinationCountries:
    explicit = await tenants.explicit_countries(tenant_id)
    members = await tenants.member_regions(tenant_id)
    return DestinationCountries(
        tenant_id, explicit is not None, members if explicit is None else explicit, members
    )
