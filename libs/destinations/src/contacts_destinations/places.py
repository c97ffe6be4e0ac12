"""Where a number is, in words: `France (+33)`, `the United Kingdom (+44)`, or the
international network for numbers of no country (`+881`).

Names come from phonenumbers' own locale data; only the few regions it leaves out and the
English names that take "the" are tables of ours.
"""

from __future__ import annotations

import importlib.util
import sys
from functools import lru_cache
from pathlib import Path

import phonenumbers
from phonenumbers import PhoneNumber

_LOCALE_MODULE = "phonenumbers.geodata.locale"


def _locale_data() -> dict[str, dict[str, str]]:
    """phonenumbers' names of the regions in many languages (`geodata/locale.py`), loaded
    alone. `import phonenumbers.geodata.locale` would first run its package, which loads the
    place names of every number prefix, which nothing here uses: 180 MB and several seconds
    of start-up in every process (this file alone: 0.4 s, 15 MB)."""
    loaded = sys.modules.get(_LOCALE_MODULE)
    if loaded is None:
        path = Path(phonenumbers.__file__).parent / "geodata" / "locale.py"
        spec = importlib.util.spec_from_file_location(_LOCALE_MODULE, path)
        if spec is None or spec.loader is None:
            raise ImportError(f"phonenumbers has no region names at {path}")
        loaded = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(loaded)
    data: dict[str, dict[str, str]] = loaded.LOCALE_DATA
    return data


LOCALE_DATA = _locale_data()

# English names of the regions phonenumbers' locale data leaves out.
MISSING_NAMES: dict[str, str] = {
    "AC": "Ascension Island",
    "TA": "Tristan da Cunha",
    "XK": "Kosovo",
}

# Regions whose English name takes "the" in a sentence ("a number of the United Kingdom").
NAMES_WITH_THE = frozenset(
    {"AE", "AX", "BS", "CC", "CF", "CK", "CZ", "DO", "FK", "FO", "GB", "GM", "IO", "KM", "KY"}
    | {"MH", "MP", "MV", "NL", "PH", "SB", "SC", "TC", "US", "VG", "VI"}
)


def region_name(region: str, *, article: bool = False) -> str:
    """The English name of a region (`FR` -> `France`); the code itself when it has none.
    With `article`, `the` before the names that take it (`the United Kingdom`)."""
    name = display_name(region, "en") or MISSING_NAMES.get(region, region)
    if article and name.startswith("The "):
        return f"the {name[4:]}"
    return f"the {name}" if article and region in NAMES_WITH_THE else name


def display_name(region: str, language: str) -> str:
    """phonenumbers' name of a region in a language ("" when none); `*xx` in its data stands
    for the name in language `xx`."""
    names = LOCALE_DATA.get(region, {})
    name = names.get(language, "")
    return names.get(name[1:], "") if name.startswith("*") else name


def place_of(number: PhoneNumber) -> str:
    """Where a parsed number is: `France (+33)`."""
    return place(number.country_code or 0, phonenumbers.region_code_for_number(number))


@lru_cache(maxsize=1024)
def place(calling_code: int, region: str | None) -> str:
    """`France (+33)`: the region when it has this calling code, else the code's main one.
    Cached: refusals of a million-row import name a handful of places."""
    if region is None or phonenumbers.country_code_for_region(region) != calling_code:
        region = phonenumbers.region_code_for_country_code(calling_code)
    if region not in phonenumbers.SUPPORTED_REGIONS:
        return f"the international network (+{calling_code})"
    return f"{region_name(region, article=True)} (+{calling_code})"
