"""Countries in the reader's language: the choice of a country for numbers written without
one, and the place a reason names (`the United Kingdom (+44)` becomes `Royaume-Uni, +44`).

The importer names places in English with phonenumbers' region names (`contacts_destinations
.places`): read back with the same names, they are shown with the CLDR name (Babel) of the
reader's language. Reading Babel's and phonenumbers' tables is no I/O of this app's."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import phonenumbers
from babel import Locale
from contacts_destinations import region_name

_PLACE = re.compile(r"^(?:the )?(?P<name>.+?) \(\+(?P<calling_code>\d{1,4})\)$", re.IGNORECASE)
INTERNATIONAL_NETWORK = "international network"


@dataclass(frozen=True)
class Place:
    name: str | None  # None: the international network (a calling code of no country)
    calling_code: str


def place_in(english_place: str, language: str) -> Place | None:
    """The place the importer named (`the United Kingdom (+44)`), with its name in `language`;
    None when it is not a place of that form. A name no table knows stays as it was."""
    found = _PLACE.match(english_place.strip())
    if found is None:
        return None
    name = found["name"]
    if name.casefold() == INTERNATIONAL_NETWORK:
        return Place(None, found["calling_code"])
    region = _regions_by_english_name().get(name.casefold())
    return Place(country_name(region, language) if region else name, found["calling_code"])


def country_name(region: str, language: str) -> str:
    """`GB` in `language` (`Royaume-Uni`); phonenumbers' English name when CLDR has none."""
    return _territories(language).get(region) or region_name(region)


def countries(language: str) -> list[tuple[str, str]]:
    """(region, name in `language`) of every country phonenumbers reads numbers of, in the
    order of their names (accents aside, as a reader looks for them)."""
    named = [(region, country_name(region, language)) for region in phonenumbers.SUPPORTED_REGIONS]
    return sorted(named, key=lambda pair: _sort_key(pair[1]))


def _sort_key(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


@cache
def _territories(language: str) -> dict[str, str]:
    return dict(Locale.parse(language).territories)


@cache
def _regions_by_english_name() -> dict[str, str]:
    by_name = {}
    for region in phonenumbers.SUPPORTED_REGIONS:
        name = region_name(region)
        by_name[name.casefold().removeprefix("the ")] = region
        by_name[name.casefold()] = region
    return by_name
