"""A seeded corpus of texts to read as phone numbers, for comparing two phone engines
(`test_importer_phone_engine.py`): every region's example number of every type, written in the
ways people and spreadsheets write them and changed a little (a digit added, removed or
replaced), random digit strings of each region's lengths, and fuzzed text.

A case is (text, default region, row country or None). The same seed gives the same corpus.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import phonenumbers
from phonenumbers import PhoneNumber, PhoneNumberFormat, PhoneNumberType

Case = tuple[str, str, str | None]

REGIONS = sorted(phonenumbers.SUPPORTED_REGIONS)
TYPES = [value for value in range(PhoneNumberType.VOICEMAIL + 1)]
ROW_COUNTRIES = ["France", "UK", "United States", "DEU", "fr", "Narnia", "", " "]
UNICODE_DIGITS = "0123456789\u0660\u0661\u0663\u0967\u096a\uff10\uff13\uff18\u09e6\u0e51"
FUZZ_MARKS = " +-./()[]#*;,~x\t\u00a0\u2013\u2011\u200e\uff0b"
EXTENSIONS = [" ext. ", " ext ", " x", ";ext=", " #", "#", ",", ";", "~", " anexo "]
RANDOM_DIGITS_PER_REGION = 240


def corpus(seed: int = 18, fuzzed: int = 80_000) -> list[Case]:
    """About 220,000 cases with the defaults."""
    rng = random.Random(seed)
    cases: list[Case] = []
    for region in REGIONS:
        for example in _examples(region):
            cases += _writings(example, region, rng)
        cases += _random_digits(region, rng)
    for calling_code in sorted(phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS):
        example = phonenumbers.example_number_for_non_geo_entity(calling_code)
        if example is not None:
            cases += _writings(example, rng.choice(REGIONS), rng)
    cases += [_fuzzed(rng) for _ in range(fuzzed)]
    return cases


def _examples(region: str) -> Iterator[PhoneNumber]:
    for number_type in TYPES:
        example = phonenumbers.example_number_for_type(region, number_type)
        if example is not None:
            yield example
    invalid = phonenumbers.invalid_example_number(region)
    if invalid is not None:
        yield invalid


def _writings(number: PhoneNumber, region: str, rng: random.Random) -> list[Case]:
    """The number as written, in its own region, another one and a row's country; then
    changed (digits added, removed, replaced), in E.164 and national form."""
    other = rng.choice(REGIONS)
    cases = [
        case
        for text in _forms(number)
        for case in ((text, region, None), (text, other, None), (text, other, region))
    ]
    for changed in _changes(number, rng):
        cases += [(f"+{number.country_code}{changed}", other, None), (changed, region, None)]
        cases += [("0" + changed, region, None), (changed, other, None)]
    return cases


def _forms(number: PhoneNumber) -> list[str]:
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    international = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    head, _, tail = national.partition(" ")
    return [
        e164,
        international,
        national,
        "00" + e164[1:],
        "00 " + international[1:],
        national.replace(" ", ""),
        national.replace(" ", "."),
        national.replace(" ", "-"),
        f"({head}) {tail}" if tail else national,
        international.replace(" ", "/"),
        "+ " + e164[1:],
        phonenumbers.format_number(number, PhoneNumberFormat.RFC3966),
    ]


def _changes(number: PhoneNumber, rng: random.Random) -> list[str]:
    """National significant numbers near this one: a digit or two added or removed at the end,
    the first or last digit replaced."""
    nsn = phonenumbers.national_significant_number(number)
    digit = lambda: rng.choice("0123456789")  # noqa: E731
    return [
        nsn + digit(),
        nsn + digit() + digit(),
        nsn[:-1],
        nsn[:-2],
        digit() + nsn[1:],
        digit() + nsn[1:],
        nsn[:-1] + digit(),
        digit() + nsn,
    ]


def _random_digits(region: str, rng: random.Random) -> list[Case]:
    """Digit strings of about the region's lengths, with or without its national prefix or +
    and its calling code."""
    calling_code = phonenumbers.country_code_for_region(region)
    example = phonenumbers.example_number(region)
    length = len(phonenumbers.national_significant_number(example)) if example else 8
    cases: list[Case] = []
    for _ in range(RANDOM_DIGITS_PER_REGION):
        digits = "".join(rng.choices("0123456789", k=max(1, length + rng.randint(-3, 3))))
        prefix = rng.choice(["", "", "0", f"+{calling_code}", f"00{calling_code}", "+"])
        cases.append((prefix + digits, region, rng.choice([None, None, None, region])))
    return cases


def _fuzzed(rng: random.Random) -> Case:
    """Digits of several scripts, marks, letters, extensions, and now and then any character."""
    size = rng.randint(1, 24)
    chars = [
        rng.choice(UNICODE_DIGITS) if rng.random() < 0.7 else rng.choice(FUZZ_MARKS)
        for _ in range(size)
    ]
    if rng.random() < 0.1:
        chars.insert(rng.randrange(size + 1), chr(rng.randint(0x20, 0x2FFF)))
    text = "".join(chars)
    if rng.random() < 0.2:
        text += rng.choice(EXTENSIONS) + "".join(rng.choices("0123456789", k=rng.randint(1, 8)))
    text = rng.choice(["", "", "+", "00", "0"]) + text
    return text, rng.choice(REGIONS), rng.choice([None] * 12 + ROW_COUNTRIES)
