"""Whether a tenant may invite a number of this country, and the tenant's list as its admins
see and change it.

Members of the tenant read the list; its admins (a token with role `admin` and the tenant in
its `tenant` or `company` claim, or an admin of the company as the directory announced)
change it; platform back-ends (role `service`) may do both for any tenant. Anyone else finds
no such tenant.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from contacts_servicekit.domain_errors import Missing, NotPermitted
from contacts_servicekit.principal import Principal

from invitations_service.domain.destinations import countries_from, refused_country, region_of
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


async def read_countries(
    tenants: Tenants, caller: Principal, tenant_id: uuid.UUID
) -> DestinationCountries:
    """The tenant's countries, for a member (Missing for anyone else)."""
    await _require(tenants, caller, tenant_id, admin=False)
    return await destination_countries(tenants, tenant_id)


async def replace_countries(
    tenants: Tenants, caller: Principal, tenant_id: uuid.UUID, codes: Sequence[str]
) -> DestinationCountries:
    """Allow SMS invitations only to the countries of `codes` (an admin); Refused naming an
    unknown code, before anything else is looked at."""
    countries = countries_from(codes)
    await _require(tenants, caller, tenant_id, admin=True)
    await tenants.set_countries(tenant_id, countries, caller.user_id)
    return await destination_countries(tenants, tenant_id)


async def reset_countries(tenants: Tenants, caller: Principal, tenant_id: uuid.UUID) -> None:
    """Drop the explicit list (an admin): the members' countries apply again."""
    await _require(tenants, caller, tenant_id, admin=True)
    await tenants.clear_countries(tenant_id)


async def _require(
    tenants: Tenants, caller: Principal, tenant_id: uuid.UUID, *, admin: bool
) -> None:
    """Missing unless the caller belongs to the tenant; NotPermitted when an admin is needed
    and they are not one. Platform back-ends (role `service`) pass."""
    if caller.has_role("service"):
        return
    claimed = str(tenant_id) in (caller.tenant_id, caller.company_id)
    role = await tenants.role_in(tenant_id, _user_id(caller))
    if not (claimed or role is not None):
        raise Missing("tenant_not_found", "You belong to no tenant with this id.")
    if not admin or (claimed and caller.has_role("admin")) or role == "admin":
        return
    raise NotPermitted(
        "not_tenant_admin", "Only an admin of this tenant can change its destination countries."
    )


def _user_id(caller: Principal) -> uuid.UUID:
    """The caller's user id; Missing when the token's subject is not a user id at all (as
    `contacts_messaging.api.Caller.user_id` answers)."""
    try:
        return uuid.UUID(caller.user_id)
    except ValueError:
        raise Missing("user_not_found", "No user has this id.") from None
