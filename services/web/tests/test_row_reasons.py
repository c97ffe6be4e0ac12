"""Every reason a row can have, as the importer and the phone rules write it, has words in the
web app's table: the English words read back the service's sentence exactly (so the right
variant and parameters were taken), and the French ones name the place in French."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from types import ModuleType

import pytest
from contacts_client import Row
from contacts_destinations import Reason, numbering, place, sms, type_refusal
from contacts_events import RowStatus
from contacts_web.domain.places import countries, place_in
from contacts_web.domain.row_reasons import ROW_REASONS, explain
from contacts_web.entrypoints.words import i18n
from contacts_web.entrypoints.words.reason_words import row_reason
from importer_service.domain import phone_reasons
from importer_service.domain.phones import VALID_MOBILE, PhoneCheck
from importer_service.domain.statuses import classify, duplicate_of
from phonenumbers import PhoneNumberType

pytestmark = pytest.mark.unit

PLACES = [place(44, "GB"), place(33, "FR"), place(1, "US"), place(881, None), place(1, "CA")]
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _module_reasons(module: ModuleType) -> list[Reason]:
    return [value for value in vars(module).values() if isinstance(value, Reason)]


def _outcomes() -> Iterator[tuple[str, str]]:
    check = PhoneCheck("+447400123456", "+447400123456", VALID_MOBILE, "")
    user = uuid.uuid4()
    for registered, is_contact, is_invited, owner in [
        (None, False, False, None), (None, False, True, None), (user, False, False, None),
        (user, True, False, None), (user, False, False, "+447400123456"),
    ]:  # fmt: skip
        outcome = classify(
            check, first_row_with_number=None, row_number=1, owner_phone=owner,
            registered_user=registered, is_contact=is_contact, is_invited=is_invited,
        )  # fmt: skip
        yield outcome.reason_code, outcome.reason
    duplicate = duplicate_of(12)
    yield duplicate.reason_code, duplicate.reason


def every_reason() -> list[tuple[str, str]]:
    """(code, sentence) of every reason the phone rules and the importer write on a row."""
    reasons = [
        *_module_reasons(numbering), *_module_reasons(sms), *_module_reasons(phone_reasons),
        phone_reasons.unknown_country("Narnia"),
    ]  # fmt: skip
    for where in PLACES:
        reasons += [type_refusal(kind, where) for kind in vars(PhoneNumberType).values()
                    if isinstance(kind, int)]  # fmt: skip
        reasons += [numbering.length_reason(code, where) for code in numbering._LENGTH_SENTENCES]
    return [(reason.code, reason.sentence) for reason in reasons] + list(_outcomes())


@pytest.fixture
def language():
    def speak(code: str) -> None:
        tokens.append(i18n._language.set(code))

    tokens: list = []
    yield speak
    for token in reversed(tokens):
        i18n._language.reset(token)


def _row(code: str, sentence: str) -> Row:
    return Row(
        row_number=3, raw_phone="x", phone_e164=None, display_name=None, first_name=None,
        last_name=None, email=None, country=None, status="invalid", reason_code=code,
        reason=sentence, matched_user_id=None,
    )  # fmt: skip


def test_every_code_the_libraries_define_is_in_the_table():
    codes = {code for code, _ in every_reason()} | sms.REFUSAL_CODES
    codes |= {status.value for status in RowStatus} - {"invalid"}
    assert sorted(codes - set(ROW_REASONS)) == []


@pytest.mark.parametrize(("code", "sentence"), every_reason())
def test_each_sentence_is_read_back_word_for_word_in_english(code, sentence, language):
    language("en")
    explained = explain(code, sentence)
    assert explained is not None, (code, sentence)
    assert set(_PLACEHOLDER.findall(explained.message)) == set(explained.parameters)
    assert row_reason(_row(code, sentence)) == sentence


@pytest.mark.parametrize(("code", "sentence"), every_reason())
def test_each_sentence_has_french_words(code, sentence, language):
    language("fr")
    words = row_reason(_row(code, sentence))
    assert words and words != sentence, (code, sentence)


def test_french_words_name_the_place_and_the_row_in_french(language):
    language("fr")
    landline = type_refusal(PhoneNumberType.FIXED_LINE, place(44, "GB"))
    assert "Royaume-Uni, +44" in row_reason(_row(landline.code, landline.sentence))
    assert "12" in row_reason(_row(*_duplicate()))
    far = numbering.length_reason("too_short", place(881, None))
    assert "réseau international, +881" in row_reason(_row(far.code, far.sentence))


def _duplicate() -> tuple[str, str]:
    outcome = duplicate_of(12)
    return outcome.reason_code, outcome.reason


def test_an_unknown_code_shows_the_service_sentence(language):
    language("fr")
    assert explain("new_rule", "A rule added later.") is None
    assert row_reason(_row("new_rule", "A rule added later.")) == "A rule added later."


def test_places_in_another_language():
    assert place_in("the United Kingdom (+44)", "fr").name == "Royaume-Uni"
    assert place_in("the United States (+1)", "fr").name == "États-Unis"
    assert place_in("the international network (+881)", "fr").name is None
    assert place_in("Atlantis (+999)", "fr").name == "Atlantis"
    assert place_in("somewhere", "fr") is None
    names = [name for _region, name in countries("fr")]
    assert names.index("Allemagne") < names.index("Égypte") < names.index("France")  # É as E
    assert ("FR", "France") in countries("fr")
