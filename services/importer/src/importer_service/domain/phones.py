"""Can this phone number be invited by SMS? One answer per number, with its reason.

`check_phone` reads what a user typed or a list held: it strips it, takes `00` as the
international prefix, NFKC-normalises it (full-width digits and plus sign) and turns any other
Unicode decimal digits (Arabic-Indic, Devanagari...) into ASCII ones. Letters are refused rather
than guessed (`O` for `0`, `l` for `1`, `1-800-FLOWERS`), except in an extension (`ext. 12`).
A number without `+` is read in the row's country when the row has one, else in the import's
default region. phonenumbers decides the rest; the reasons are in `phone_reasons`.

The cost is phonenumbers' parse and number type, about what `raw_validation_rate` measures:
everything else is cached per region or skipped for the common case.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumber, PhoneNumberType, ValidationResult

from importer_service.domain import phone_reasons as reasons
from importer_service.domain.countries import region_from_country, region_name
from importer_service.domain.phone_reasons import Reason

VALID_MOBILE = reasons.VALID_MOBILE.code
_MAX_TEXT = 100
_MAX_E164 = 16  # "+" and 15 digits
_INTERNATIONAL_00 = re.compile(r"^00[\s.\-/]*(?=[1-9])")
_LETTER = re.compile(r"[^\W\d_]")
_EXTENSION = re.compile(
    r"(?i)[\s,;]*(?:;ext=|ext(?:ension|n)?\.?|anexo|x|#|~)\s*[:.]?\s*\d{1,7}#?\s*$"
)
_SMS_CAPABLE = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})
_LENGTH_CODES = {
    ValidationResult.TOO_SHORT: "too_short",
    ValidationResult.IS_POSSIBLE_LOCAL_ONLY: "too_short",
    ValidationResult.TOO_LONG: "too_long",
    ValidationResult.INVALID_LENGTH: "invalid_length",
}
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


def check_phone(raw: str, default_region: str, row_region: str | None = None) -> PhoneCheck:
    """Check one number. `row_region` is the row's country (a region code or a country cell,
    see `region_from_country`); it wins over `default_region` for numbers without `+`."""
    text = _normalise(raw)
    problem = _problem_in_text(text)
    if problem is not None:
        return _refused(raw, problem)
    if text.startswith("+"):
        return _check_text(raw, text, None)
    region = _parsing_region(default_region, row_region)
    if isinstance(region, Reason):
        return _refused(raw, region)
    return _check_text(raw, text, region)


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
        return reasons.HAS_LETTERS
    return None


@lru_cache(maxsize=4096)
def _parsing_region(default_region: str, row_region: str | None) -> str | Reason:
    if row_region is not None and row_region.strip():
        return _region(row_region) or reasons.unknown_country(row_region.strip())
    return _region(default_region) or reasons.UNKNOWN_REGION


def _region(value: str) -> str | None:
    code = value.strip().upper()
    return code if code in phonenumbers.SUPPORTED_REGIONS else region_from_country(value)


def _check_text(raw: str, text: str, region: str | None) -> PhoneCheck:
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException as error:
        return _refused(raw, _parse_failure(error, region))
    return _judge(raw, number, region)


def _judge(raw: str, number: PhoneNumber, region: str | None) -> PhoneCheck:
    kind = phonenumbers.number_type(number)
    if kind == PhoneNumberType.UNKNOWN:
        return _refused(raw, _invalid(number, region))
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if len(e164) > _MAX_E164:  # some plans allow more digits than E.164's 15
        return _refused(raw, reasons.length_reason("too_long", _place_of(number)))
    if number.extension:
        return PhoneCheck(raw, e164, *reasons.HAS_EXTENSION)
    if number.country_code in phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS:
        return PhoneCheck(raw, e164, *reasons.NON_GEOGRAPHIC)
    if kind in _SMS_CAPABLE:
        return PhoneCheck(raw, e164, *reasons.VALID_MOBILE)
    return PhoneCheck(raw, e164, *reasons.type_reason(kind, _place_of(number)))


def _place_of(number: PhoneNumber) -> str:
    return _place(number.country_code or 0, phonenumbers.region_code_for_number(number))


def _invalid(number: PhoneNumber, region: str | None) -> Reason:
    possibility = phonenumbers.is_possible_number_with_reason(number)
    if possibility == ValidationResult.INVALID_COUNTRY_CODE:
        return reasons.UNKNOWN_CALLING_CODE
    code = _LENGTH_CODES.get(possibility, "invalid_number")
    return reasons.length_reason(code, _place(number.country_code or 0, region))


def _parse_failure(error: NumberParseException, region: str | None) -> Reason:
    if error.error_type == NumberParseException.INVALID_COUNTRY_CODE:
        return reasons.UNKNOWN_CALLING_CODE if region is None else reasons.UNKNOWN_REGION
    if error.error_type == NumberParseException.NOT_A_NUMBER:
        return reasons.UNPARSEABLE
    code = "too_short" if error.error_type in _TOO_SHORT_ERRORS else "too_long"
    if region is None:
        return reasons.TOO_SHORT_TEXT if code == "too_short" else reasons.TOO_LONG_TEXT
    return reasons.length_reason(code, _place(phonenumbers.country_code_for_region(region), region))


@lru_cache(maxsize=1024)
def _place(calling_code: int, region: str | None) -> str:
    """`France (+33)`: the region when it has this calling code, else the code's main one."""
    if region is None or phonenumbers.country_code_for_region(region) != calling_code:
        region = phonenumbers.region_code_for_country_code(calling_code)
    if region not in phonenumbers.SUPPORTED_REGIONS:
        return f"the international network (+{calling_code})"
    return f"{region_name(region, article=True)} (+{calling_code})"


def _refused(raw: str, reason: Reason) -> PhoneCheck:
    return PhoneCheck(raw, None, reason.code, reason.sentence)
