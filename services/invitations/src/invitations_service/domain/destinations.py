"""Destination countries: where a tenant's SMS invitations may go (against SMS pumping).

A tenant (a company) invites by default only numbers of the countries its members' own phone
numbers are in; its admins may set an explicit list instead. Countries are the ISO 3166
alpha-2 regions phonenumbers knows (`FR`, `GB`, `GG`, ...).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import phonenumbers
from contacts_servicekit.domain_errors import Refused

_SHOWN = 20  # countries named in a refusal; the rest are counted


def region_of(phone_e164: str) -> str:
    """The region of a valid E.164 number; `001` for non-geographic numbers, `ZZ` if none."""
    number = phonenumbers.parse(phone_e164, None)
    return phonenumbers.region_code_for_number(number) or "ZZ"


def countries_from(codes: Iterable[str]) -> list[str]:
    """An admin's list as stored: upper-case, sorted, each once; Refused naming an unknown code."""
    countries = set()
    for code in codes:
        country = code.strip().upper()
        if country not in phonenumbers.SUPPORTED_REGIONS:
            raise Refused(
                "unknown_country",
                f"{code!r} is not a country code phone numbers have "
                "(ISO 3166 alpha-2, for example FR or GB).",
                "countries",
            )
        countries.add(country)
    return sorted(countries)


def country_refusal(region: str, allowed: Sequence[str], *, explicit: bool) -> Refused:
    """Refused on `phone` saying which countries this tenant may invite, and where the number is."""
    code = phonenumbers.country_code_for_region(region)
    this = f"this number is in {region} (+{code})" if code else "this number is in no country"
    if not allowed:
        message = f"Your company's administrators allow no SMS invitations; {this}."
    elif explicit:
        message = (
            f"Your company's administrators allow SMS invitations only to numbers in "
            f"{_named(allowed)}; {this}."
        )
    else:
        message = (
            f"Your company invites only numbers in the countries its members are in "
            f"({_named(allowed)}); {this}. An administrator can allow more countries."
        )
    return Refused("country_not_allowed", message, "phone")


def refused_country(
    region: str, explicit: Sequence[str] | None, members: Sequence[str]
) -> Refused | None:
    """Why a tenant may not invite a number of `region`, or None when it may.

    An explicit list decides alone. Otherwise the number must be in a country one of the
    tenant's members has a phone in; while no member's phone is known at all (a tenant the
    directory has not told about yet), nothing is refused: there is no list to hold it to.
    """
    if explicit is not None:
        return None if region in explicit else country_refusal(region, explicit, explicit=True)
    if not members or region in members:
        return None
    return country_refusal(region, members, explicit=False)


def _named(countries: Sequence[str]) -> str:
    shown = ", ".join(countries[:_SHOWN])
    more = len(countries) - _SHOWN
    return f"{shown} and {more} more" if more > 0 else shown
