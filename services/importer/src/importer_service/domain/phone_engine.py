"""Which library reads phone numbers: phonenumbers, the reference, or rphonenumbers, the same
API on a Rust engine (parse, type and format about 8 times faster; the importer's whole check
of a number about 5.6 times, bench/IMPORTER.md).

`IMPORT_PHONE_ENGINE` chooses (`rphonenumbers` by default). rphonenumbers carries its own copy
of libphonenumber's metadata, that of the phonenumbers release it names
(`__phonenumbers_version__`); should it be older than the installed phonenumbers, the two would
disagree on the numbers of every range changed since, so phonenumbers is used instead
(`choose`).

Both engines give every text the same check: `tests/test_importer_phone_engine.py` compares
them over a generated corpus of about 250,000 texts. rphonenumbers 0.1.0 reads two kinds of
text otherwise (both refused by both, with another reason): one to three digits followed by a
character phonenumbers reads as the start of an extension (`34#0`, `12;5`: phonenumbers
`unparseable`, rphonenumbers `too_short`), and a character unassigned in Python's Unicode
database after the digits (its regular expressions and Rust's have different Unicode tables).
So the Rust engine reads only texts of ASCII digits, spaces and `+ - . / ( )` (`PLAIN_TEXT`),
which is what numbers typed by people and written by spreadsheets are; any other text (an
extension, `*` or `#`, letters, characters of other scripts) goes to phonenumbers
(`engine_for`), at the cost of one regular expression match.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import phonenumbers
import rphonenumbers  # type: ignore[import-untyped]
from packaging.version import Version
from phonenumbers import NumberParseException, PhoneNumber, PhoneNumberFormat

ENGINE_VARIABLE = "IMPORT_PHONE_ENGINE"
RUST = "rphonenumbers"
PYTHON = "phonenumbers"
ENGINE_NAMES = (RUST, PYTHON)
PLAIN_TEXT = re.compile(r"[0-9 +\-./()]+")
"""The texts on which the Rust engine is proven to read as phonenumbers does."""


@dataclass(frozen=True, slots=True)
class PhoneEngine:
    """The calls `check_phone` makes. A number an engine parses is passed only to the same
    engine, and to `contacts_destinations`, which reads its fields (phonenumbers' functions
    take any object with them)."""

    name: str
    metadata_version: str
    parse: Callable[[str, str | None], PhoneNumber]
    number_type: Callable[[PhoneNumber], int]
    format_e164: Callable[[PhoneNumber], str]
    parse_error: type[NumberParseException]
    """rphonenumbers' own class, with phonenumbers' attribute and error type numbers."""
    reads_alike: Callable[[str], object] | None
    """Whether it reads this text as phonenumbers does (None: every text, it is phonenumbers)."""


def _engine(
    name: str, module: Any, metadata_version: str, reads_alike: Callable[[str], object] | None
) -> PhoneEngine:
    e164 = PhoneNumberFormat.E164
    format_number = module.format_number
    return PhoneEngine(
        name=name,
        metadata_version=metadata_version,
        parse=module.parse,
        number_type=module.number_type,
        format_e164=lambda number: format_number(number, e164),
        parse_error=module.NumberParseException,
        reads_alike=reads_alike,
    )


PHONENUMBERS = _engine(PYTHON, phonenumbers, phonenumbers.__version__, None)
RPHONENUMBERS = _engine(
    RUST, rphonenumbers, rphonenumbers.__phonenumbers_version__, PLAIN_TEXT.fullmatch
)
ENGINES = {engine.name: engine for engine in (RPHONENUMBERS, PHONENUMBERS)}


def engine_for(engine: PhoneEngine, text: str) -> PhoneEngine:
    """`engine`, or phonenumbers for a text `engine` might read otherwise."""
    if engine.reads_alike is None or engine.reads_alike(text):
        return engine
    return PHONENUMBERS


def choose(name: str) -> tuple[PhoneEngine, str | None]:
    """The engine `IMPORT_PHONE_ENGINE` names, or phonenumbers and the reason when the Rust
    engine's metadata is older than the installed phonenumbers' (never statuses that differ
    from phonenumbers' without a word). An unknown name is refused: ValueError naming the
    variable."""
    engine = ENGINES.get(name)
    if engine is None:
        raise ValueError(
            f"{ENGINE_VARIABLE} must be one of {', '.join(ENGINE_NAMES)}, not {name!r}"
        )
    reason = outdated_reason(engine, PHONENUMBERS)
    return (engine, None) if reason is None else (PHONENUMBERS, reason)


def outdated_reason(engine: PhoneEngine, reference: PhoneEngine) -> str | None:
    """Why `engine` may not be used: its metadata is older than `reference`'s (versions compared
    as versions: 9.0.9 is older than 9.0.41). None when it may."""
    if Version(engine.metadata_version) >= Version(reference.metadata_version):
        return None
    return (
        f"{engine.name}'s metadata is that of phonenumbers {engine.metadata_version}, older than "
        f"the installed phonenumbers {reference.metadata_version}: numbers are read with "
        f"{reference.name} until an {engine.name} release with metadata {reference.metadata_version}"
        " or later is installed"
    )
