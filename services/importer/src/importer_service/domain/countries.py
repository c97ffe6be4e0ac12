"""A list's country column, read as an ISO 3166-1 alpha-2 region that phonenumbers knows.

A cell may hold an alpha-2 code (`fr`, `FR`), an alpha-3 code (`FRA`), a calling code (`+33`,
`33`, `0033`) or a country's name in English, French, German, Spanish, Italian, Portuguese or
Dutch (`Allemagne`, `Deutschland`, `España`, `Royaume-Uni`, `États-Unis`...), in any case and
with or without accents. Codes and official names come from phonenumbers' own data; only
alpha-3 codes and everyday names (`UK`, `Holland`, `Ivory Coast`) are tables of ours. Region
names in sentences (`region_name`) are the platform's (`contacts_destinations.places`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

import phonenumbers
from contacts_destinations.places import MISSING_NAMES, display_name, region_name

from importer_service.domain.country_tables import ALIASES, ALPHA3_TO_ALPHA2

__all__ = ["name_key", "region_from_country", "region_name"]

_NAME_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl")
_GERMAN_SPELLING = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})
_CALLING_CODE = re.compile(r"\(?(?:\+|00)?\s*([1-9][0-9]{0,2})\)?")
_DROPPED = re.compile("[.'\u2019]")  # dots and apostrophes: `U.K.`, `Côte d'Ivoire`
_SEPARATORS = re.compile(r"[^0-9a-z]+")


def region_from_country(value: str) -> str | None:
    """The region a country cell names, or None when it names none phonenumbers knows."""
    return _region_from_country(value.strip())


def name_key(text: str) -> str:
    """`Côte d'Ivoire` -> `cote divoire`: lower case, no accents, words split by one space."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    return " ".join(_SEPARATORS.sub(" ", _DROPPED.sub("", bare)).split())


@lru_cache(maxsize=4096)
def _region_from_country(text: str) -> str | None:
    if not text:
        return None
    calling_code = _CALLING_CODE.fullmatch(text)
    if calling_code is not None:
        return _region_for_calling_code(int(calling_code[1]))
    key = name_key(text)
    code = key.upper()
    if code in phonenumbers.SUPPORTED_REGIONS:
        return code
    if code in ALPHA3_TO_ALPHA2:
        return ALPHA3_TO_ALPHA2[code]
    names = _regions_by_name()
    return names.get(key) or names.get(key.removeprefix("the "))


def _region_for_calling_code(calling_code: int) -> str | None:
    region = phonenumbers.region_code_for_country_code(calling_code)
    return region if region in phonenumbers.SUPPORTED_REGIONS else None


@cache
def _regions_by_name() -> dict[str, str]:
    names: dict[str, str] = {}
    for region in phonenumbers.SUPPORTED_REGIONS:
        for name in _names_of(region):
            names.update(dict.fromkeys(_keys_of(name), region))
    for region, aliases in ALIASES.items():
        names.update(dict.fromkeys(aliases, region))
    return names


def _names_of(region: str) -> set[str]:
    names = {display_name(region, language) for language in _NAME_LANGUAGES}
    names.add(MISSING_NAMES.get(region, ""))
    return names - {""}


def _keys_of(name: str) -> set[str]:
    """`The Gambia` -> {`the gambia`, `gambia`}; `Österreich` -> {`osterreich`, `oesterreich`}."""
    keys = {name_key(name), name_key(name.translate(_GERMAN_SPELLING))}
    return keys | {key.removeprefix("the ") for key in keys}
