"""Can this phone number be invited by SMS? One answer per number, with its reason.

`check_phone` reads what a user typed or a list held: it strips it, takes `00` as the
international prefix, NFKC-normalises it (full-width digits and plus sign) and turns any other
Unicode decimal digits (Arabic-Indic, Devanagari...) into ASCII ones. Letters are refused rather
than guessed (`O` for `0`, `l` for `1`, `1-800-FLOWERS`), except in an extension (`ext. 12`).
A number without `+` is read in the row's country when the row has one, else in the import's
default region. phonenumbers' rules decide whether it is a real number, and the platform's one
rule (`contacts_destinations.sms_refusal`) whether it can take an SMS; the importer's own
reasons are in `phone_reasons`.

The numbers are read by the engine `IMPORT_PHONE_ENGINE` chose (`phone_engine`): rphonenumbers,
phonenumbers' API and metadata on a Rust engine, by default; phonenumbers itself for the texts
the Rust engine might read otherwise, and when asked. Both give every text the same check.
The cost is the engine's parse, number type and format (phonenumbers: about what
`raw_validation_rate` measures); everything else is cached per region or skipped for the common
case (the SMS rule on a valid number is an attribute and two set look-ups; sentences naming a
place are cached per place).
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from contacts_destinations import Reason, place, sms_refusal
from contacts_destinations.numbering import (
    HAS_LETTERS,
    UNKNOWN_CALLING_CODE,
    UNPARSEABLE,
    invalid_reason,
    length_reason,
    too_long_for_e164,
)
from phonenumbers import NumberParseException, PhoneNumber, PhoneNumberType

from importer_service.domain import phone_reasons as reasons
from importer_service.domain.countries import region_from_country
from importer_service.domain.phone_engine import RUST, PhoneEngine, choose, engine_for

VALID_MOBILE = reasons.VALID_MOBILE.code
_MAX_TEXT = 100
_INTERNATIONAL_00 = re.compile(r"^00[\s.\-/]*(?=[1-9])")
_LETTER = re.compile(r"[^\W\d_]")
_EXTENSION = re.compile(
    r"(?i)[\s,;]*(?:;ext=|ext(?:ension|n)?\.?|anexo|x|#|~)\s*[:.]?\s*\d{1,7}#?\s*$"
)
_TOO_SHORT_ERRORS = (NumberParseException.TOO_SHORT_NSN, NumberParseException.TOO_SHORT_AFTER_IDD)


@dataclass(frozen=True, slots=True)
class PhoneCheck:
    """`e164` is set for every real number, even one refused for its type (a landline)."""

    raw: str
    e164: str | None
    reason_code: str
    reason: str

    @property
    def valid(self) -> bool:
        """The number may be invited by SMS."""
        return self.e164 is not None and self.reason_code == VALID_MOBILE


_engine = choose(RUST)[0]


def use_engine(engine: PhoneEngine) -> None:
    """The engine `check_phone` reads numbers with from now on, in this process and the
    chunk workers it starts later, which are told it (the service's start-up chooses it, see
    `phone_engine.choose`)."""
    global _engine
    _engine = engine


def engine_in_use() -> PhoneEngine:
    """The engine `check_phone` reads numbers with when not given one."""
    return _engine


def check_phone(
    raw: str, default_region: str, row_region: str | None = None, engine: PhoneEngine | None = None
) -> PhoneCheck:
    """Check one number. `row_region` is the row's country (a region code or a country cell,
    see `region_from_country`); it wins over `default_region` for numbers without `+`.
    `engine`: the one `use_engine` chose unless given."""
    text = _normalise(raw)
    problem = _problem_in_text(text)
    if problem is not None:
        return _refused(raw, problem)
    engine = engine_for(engine or _engine, text)
    if text.startswith("+"):
        return _check_text(engine, raw, text, None)
    region = _parsing_region(default_region, row_region)
    if isinstance(region, Reason):
        return _refused(raw, region)
    return _check_text(engine, raw, text, region)


def check_phones(
    raws: Sequence[str], default_region: str, row_regions: Sequence[str | None] | None = None
) -> list[PhoneCheck]:
    """`check_phone` for each number; `row_regions`, when given, has one entry per number."""
    regions = row_regions if row_regions is not None else [None] * len(raws)
    return [
        check_phone(raw, default_region, region) for raw, region in zip(raws, regions, strict=True)
    ]


def raw_validation_rate(numbers: Sequence[str], region: str) -> float:
    """Numbers per second of bare `phonenumbers.parse` + `is_valid_number` in this process:
    the yardstick bulk imports are measured against."""
    if not numbers:
        raise ValueError("raw_validation_rate needs at least one number")
    started = time.perf_counter()
    for number in numbers:
        try:
            phonenumbers.is_valid_number(phonenumbers.parse(number, region))
        except NumberParseException:
            continue
    return len(numbers) / (time.perf_counter() - started)


def _normalise(raw: str) -> str:
    text = raw.strip()
    if not text.isascii():
        text = "".join(map(_ascii_char, unicodedata.normalize("NFKC", text))).strip()
    return _INTERNATIONAL_00.sub("+", text, count=1) if text.startswith("00") else text


def _ascii_char(char: str) -> str:
    """Decimal digits of any script as ASCII; invisible format characters (bidi marks) gone."""
    if char.isdecimal():
        return str(unicodedata.decimal(char))
    return "" if unicodedata.category(char) == "Cf" else char


def _problem_in_text(text: str) -> Reason | None:
    if not text:
        return reasons.EMPTY
    if len(text) > _MAX_TEXT:
        return reasons.TOO_LONG_TEXT
    if _LETTER.search(text) and _LETTER.search(_EXTENSION.sub("", text)):
        return HAS_LETTERS
    return None


@lru_cache(maxsize=4096)
def _parsing_region(default_region: str, row_region: str | None) -> str | Reason:
    if row_region is not None and row_region.strip():
        return _region(row_region) or reasons.unknown_country(row_region.strip())
    return _region(default_region) or reasons.UNKNOWN_REGION


def _region(value: str) -> str | None:
    code = value.strip().upper()
    return code if code in phonenumbers.SUPPORTED_REGIONS else region_from_country(value)


def _check_text(engine: PhoneEngine, raw: str, text: str, region: str | None) -> PhoneCheck:
    try:
        number = engine.parse(text, region)
    except engine.parse_error as error:
        return _refused(raw, _parse_failure(error, region))
    return _judge(engine, raw, number, region)


def _judge(engine: PhoneEngine, raw: str, number: PhoneNumber, region: str | None) -> PhoneCheck:
    kind = engine.number_type(number)
    if kind == PhoneNumberType.UNKNOWN:
        return _refused(raw, invalid_reason(number, region))
    e164 = engine.format_e164(number)
    too_long = too_long_for_e164(number, e164)
    if too_long is not None:
        return _refused(raw, too_long)
    return PhoneCheck(raw, e164, *(sms_refusal(number, kind) or reasons.VALID_MOBILE))


def _parse_failure(error: NumberParseException, region: str | None) -> Reason:
    if error.error_type == NumberParseException.INVALID_COUNTRY_CODE:
        return UNKNOWN_CALLING_CODE if region is None else reasons.UNKNOWN_REGION
    if error.error_type == NumberParseException.NOT_A_NUMBER:
        return UNPARSEABLE
    code = "too_short" if error.error_type in _TOO_SHORT_ERRORS else "too_long"
    if region is None:
        return reasons.TOO_SHORT_TEXT if code == "too_short" else reasons.TOO_LONG_TEXT
    return length_reason(code, place(phonenumbers.country_code_for_region(region), region))


def _refused(raw: str, reason: Reason) -> PhoneCheck:
    return PhoneCheck(raw, None, reason.code, reason.sentence)
