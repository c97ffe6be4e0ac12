"""The Rust phone engine gives every text the check phonenumbers gives, and is used only when
its metadata is not older than phonenumbers'.

The differential test reads a seeded corpus (`phone_corpus`, about 250,000 texts: every
region's example number of every type written in many ways and changed a digit at a time,
random digit strings of each region's lengths, fuzzed text) through `check_phone` with each
engine and compares `e164`, `reason_code` and `reason`.

The kinds of text the engines read differently (found by this corpus: 498 of its texts when
the Rust engine reads every text; rphonenumbers 0.1.0 against phonenumbers 9.0.41). Both refuse
these texts, with another reason:

1. One to three digits, then a character phonenumbers takes for the start of an extension
   (`#`, `;`, `,`, `~`, `x`): `34#0` in SJ, `12;5`, `( 88,012).` in TG (461 texts).
   phonenumbers finds no viable number before the extension and refuses the text
   (NOT_A_NUMBER: `unparseable`); rphonenumbers parses a number of two digits with an
   extension (then `too_short`).
2. A character unassigned in the Unicode database of Python 3.11 (Unicode 14), after the
   digits: `018\u0d98` in HU (37 texts). phonenumbers' regular expressions (Python's `re`) drop
   it as a trailing non-word character and judge the digits (`too_short`, `invalid_number`,
   `voip`...); the Rust regex engine, with a newer Unicode, reads a word character there and
   the text is NOT_A_NUMBER (`unparseable`).

`phone_engine.PLAIN_TEXT` keeps every text but ASCII digits, spaces and `+ - . / ( )` from the
Rust engine (`engine_for`), so neither kind can reach it; on the texts it reads the corpus finds
no difference, and the test fails on the first one.
"""

from dataclasses import replace

import pytest
from importer_service.domain.phone_engine import (
    PHONENUMBERS,
    RPHONENUMBERS,
    PhoneEngine,
    engine_for,
)
from importer_service.domain.phones import check_phone
from phonenumbers import PhoneNumberType

from .phone_corpus import Case, corpus

pytestmark = pytest.mark.unit

EXTENSION_MARK_CASES = [("34#0", "SJ"), ("12;5", "SK"), ("( 88,012).", "TG"), ("04,~0,", "VU")]


def differences(cases: list[Case], engine: PhoneEngine) -> list[tuple[Case, tuple, tuple]]:
    """The cases `engine` checks otherwise than phonenumbers: (case, phonenumbers', engine's)."""
    found = []
    for case in cases:
        expected = _fields(check_phone(*case, engine=PHONENUMBERS))
        got = _fields(check_phone(*case, engine=engine))
        if got != expected:
            found.append((case, expected, got))
    return found


def _fields(check: object) -> tuple[object, ...]:
    return tuple(getattr(check, field) for field in ("e164", "reason_code", "reason"))


def test_the_rust_engine_checks_every_text_of_the_corpus_as_phonenumbers_does() -> None:
    cases = corpus()
    assert len(cases) >= 200_000
    found = differences(cases, RPHONENUMBERS)
    assert found == [], f"{len(found)} differences, the first ones: {found[:10]}"


def test_the_comparison_finds_an_engine_that_reads_one_type_wrong() -> None:
    landlines_as_mobiles = replace(
        RPHONENUMBERS,
        name="wrong",
        number_type=lambda number: (
            PhoneNumberType.MOBILE
            if (kind := RPHONENUMBERS.number_type(number)) == PhoneNumberType.FIXED_LINE
            else kind
        ),
    )
    found = differences(corpus(fuzzed=0)[:20_000], landlines_as_mobiles)
    assert found
    assert {got[1] for _, _, got in found} == {"valid_mobile"}


@pytest.mark.parametrize(("text", "region"), EXTENSION_MARK_CASES)
def test_without_the_guard_the_rust_engine_reads_extension_marks_otherwise(
    text: str, region: str
) -> None:
    unguarded = replace(RPHONENUMBERS, reads_alike=None)
    assert check_phone(text, region, engine=PHONENUMBERS).reason_code == "unparseable"
    assert check_phone(text, region, engine=unguarded).reason_code == "too_short"
    assert check_phone(text, region, engine=RPHONENUMBERS).reason_code == "unparseable"


@pytest.mark.parametrize(
    ("text", "reader"),
    [
        ("+33 6 12 34 56 78", RPHONENUMBERS),
        ("(06) 12.34-56/78", RPHONENUMBERS),
        ("06 12 34 56 78 ext. 12", PHONENUMBERS),
        ("34#0", PHONENUMBERS),
        ("06\t12", PHONENUMBERS),
        ("06\u201312", PHONENUMBERS),
        ("*121#", PHONENUMBERS),
    ],
)
def test_only_digits_spaces_and_plain_marks_go_to_the_rust_engine(
    text: str, reader: PhoneEngine
) -> None:
    assert engine_for(RPHONENUMBERS, text) is reader
    assert engine_for(PHONENUMBERS, text) is PHONENUMBERS
