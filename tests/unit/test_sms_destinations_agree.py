"""One rule for who can take an invitation SMS: on every phonenumbers number type in ten
countries and on the numbers of no country, the importer marks a number `ready_to_invite`
exactly when the invitations service would send it an SMS (and the directory would take it as
a user's own number), and both give the same reason code when they refuse it. Each service is
asked through its own domain functions; the numbers are phonenumbers' own examples."""

from __future__ import annotations

from typing import NamedTuple

import phonenumbers
import pytest
from contacts_destinations import api_code
from contacts_events import RowStatus
from contacts_servicekit.domain_errors import Refused
from directory_service.domain.contact_details import mobile_e164
from importer_service.domain.phones import check_phone
from importer_service.domain.statuses import classify
from invitations_service.domain.policy import checked_phone
from phonenumbers import PhoneNumberFormat, PhoneNumberType

pytestmark = pytest.mark.unit

REGIONS = ("CH", "GB", "FR", "DE", "US", "IT", "ES", "AU", "IN", "JP")
NO_COUNTRY = (800, 808, 870, 881, 882, 883, 888, 979)
TYPES = {name: value for name, value in vars(PhoneNumberType).items() if name.isupper()}
# The metadata's description of each type: where the numbers of no country keep their examples.
_DESCRIPTIONS = {
    name: name.lower() for name in TYPES if name not in ("UNKNOWN", "FIXED_LINE_OR_MOBILE")
}


class Example(NamedTuple):
    place: str
    type_name: str
    e164: str


def _e164(number: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def _country_examples() -> list[Example]:
    return [
        Example(region, name, _e164(number))
        for region in REGIONS
        for name, number_type in TYPES.items()
        if (number := phonenumbers.example_number_for_type(region, number_type)) is not None
    ]


def _no_country_examples() -> list[Example]:
    examples = []
    for code in NO_COUNTRY:
        number = phonenumbers.example_number_for_non_geo_entity(code)
        assert number is not None, code
        examples.append(Example(f"+{code}", "ENTITY", _e164(number)))
        metadata = phonenumbers.PhoneMetadata.metadata_for_nongeo_region(code)
        for name, attribute in _DESCRIPTIONS.items():
            description = getattr(metadata, attribute, None)
            if description is not None and description.example_number:
                examples.append(Example(f"+{code}", name, f"+{code}{description.example_number}"))
    return examples


CORPUS = sorted(set(_country_examples() + _no_country_examples()))


def importer_outcome(e164: str) -> tuple[RowStatus, str]:
    """The row status the importer gives a number nobody has, in a list read as British."""
    check = check_phone(e164, "GB")
    outcome = classify(check, first_row_with_number=None, row_number=1, owner_phone=None,
                       registered_user=None, is_contact=False, is_invited=False)  # fmt: skip
    return outcome.status, outcome.reason_code


def invitations_refusal(e164: str) -> str | None:
    """The 422 code `POST /v1/invitations` would answer, None when it would send the SMS."""
    try:
        checked_phone(e164)
    except Refused as refusal:
        return refusal.code
    return None


def directory_takes(e164: str) -> bool:
    try:
        mobile_e164(e164)
    except Refused:
        return False
    return True


def test_the_corpus_covers_every_type_the_countries_and_the_numbers_of_no_country() -> None:
    asked = {example.type_name for example in CORPUS}
    assert set(TYPES) - {"UNKNOWN"} <= asked  # UNKNOWN has no example
    assert {example.place for example in CORPUS} >= set(REGIONS) | {f"+{c}" for c in NO_COUNTRY}
    refused = {importer_outcome(example.e164)[1] for example in CORPUS}
    assert refused >= {"not_mobile", "premium_rate", "shared_cost", "personal_number", "voip",
                       "toll_free", "uan", "pager", "voicemail", "non_geographic"}  # fmt: skip
    assert "ready_to_invite" in refused


@pytest.mark.parametrize("example", CORPUS, ids=lambda e: f"{e.place}-{e.type_name}-{e.e164}")
def test_the_importer_and_invitations_give_one_answer_and_one_reason(example: Example) -> None:
    status, reason_code = importer_outcome(example.e164)
    refusal = invitations_refusal(example.e164)
    if status is RowStatus.READY_TO_INVITE:
        assert refusal is None
    else:
        assert status is RowStatus.INVALID
        assert refusal == api_code(reason_code)  # the codes the API had kept, else the same
    assert directory_takes(example.e164) is (status is RowStatus.READY_TO_INVITE)


@pytest.mark.parametrize(
    "example",
    [e for e in CORPUS if e.place in REGIONS],
    ids=lambda e: f"{e.place}-{e.type_name}-{e.e164}",
)
def test_a_list_in_the_national_form_gets_the_same_status_as_the_number_in_e164(
    example: Example,
) -> None:
    number = phonenumbers.parse(example.e164, None)
    national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    typed = check_phone(national, example.place)  # a list of that country
    assert (typed.e164, typed.reason_code) == (
        example.e164,
        check_phone(example.e164, "GB").reason_code,
    )
