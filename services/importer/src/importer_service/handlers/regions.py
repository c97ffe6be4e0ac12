"""An import's default region: the country its national numbers (`06 12 34 56 78`) are read in."""

from __future__ import annotations

import uuid

import phonenumbers
from contacts_servicekit.domain_errors import Refused

from importer_service.handlers.ports import Owners


def checked_region(region: str) -> str:
    """`region` as a country code phonenumbers knows (upper case); 422 naming
    `default_region` otherwise."""
    if region.upper() not in phonenumbers.SUPPORTED_REGIONS:
        raise Refused(
            "unknown_region",
            f"{region!r} is not a country code such as FR or GB.",
            "default_region",
        )
    return region.upper()


async def default_region(
    owners: Owners, owner_id: uuid.UUID, requested: str | None, fallback: str
) -> str:
    """The request's region, else the country of the owner's own number, else `fallback`."""
    if requested:
        return checked_region(requested)
    phone = await owners.phone(owner_id)
    if phone:
        region = phonenumbers.region_code_for_number(phonenumbers.parse(phone))
        if region and region != "ZZ":
            return str(region)
    return fallback
