"""The catalogue: complete, keyed by the aggregate of each topic, and strict about its fields."""

from __future__ import annotations

import inspect
import json
from datetime import datetime
from typing import Any
from uuid import uuid4

import contacts_events as ce
import pytest
from contacts_events import topics
from pydantic import ValidationError

pytestmark = pytest.mark.unit

EXPECTED = {
    "directory": {
        "UserRegistered", "UserProfileChanged", "UserDeactivated", "CompanyCreated",
        "CompanyMemberJoined", "CompanyMemberLeft", "CompanyMembershipOffered",
        "CompanyMembershipDeclined", "CompanyMembershipWithdrawn", "ContactPointCreated",
        "ContactPointRemoved",
    },
    "contacts": {"ContactAdded", "ContactArchived", "ContactUnarchived", "ContactRemoved"},
    "importer": {
        "ImportStarted", "ImportRowValidated", "ImportRowMatched", "ImportCompleted",
        "InvitationRequested",
    },
    "invitations": {
        "InvitationSent", "InvitationDeliveryFailed", "InvitationResent", "InvitationCancelled",
        "InvitationAccepted", "InvitationExpired", "InvitationRefused",
    },
}  # fmt: skip


def test_importing_the_package_registers_the_whole_catalogue() -> None:
    found: dict[str, set[str]] = {}
    for cls in ce.registry.events():
        found.setdefault(ce.producer_of(cls), set()).add(cls.name)
    assert found == EXPECTED


def test_every_event_is_a_documented_v1_on_a_known_topic() -> None:
    for cls in ce.registry.events():
        assert cls.name == cls.__name__
        assert cls.version == 1
        assert cls.topic in topics.ALL
        assert cls.__doc__
        assert "\n\n" not in inspect.cleandoc(cls.__doc__).split("\n\n")[0]


def test_the_key_is_the_aggregate_id_of_the_topic(sample_event: ce.IntegrationEvent) -> None:
    key_field = topics.KEY_FIELDS[sample_event.topic]
    assert sample_event.partition_key() == str(getattr(sample_event, key_field))
    assert sample_event.subject().startswith(sample_event.partition_key())


def test_events_are_frozen_and_ignore_unknown_fields(sample_event: ce.IntegrationEvent) -> None:
    data = {**sample_event.model_dump(mode="json"), "added_in_a_later_release": 1}
    assert type(sample_event).model_validate(data) == sample_event
    with pytest.raises(ValidationError, match="frozen"):
        sample_event.__setattr__(next(iter(type(sample_event).model_fields)), None)


def _user(**changes: Any) -> dict[str, Any]:
    base = {
        "user_id": uuid4(),
        "connect_id": "jane",
        "display_name": "Jane",
        "phone_e164": "+447700900123",
    }
    return {**base, **changes}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("phone_e164", "0612345678"),
        ("phone_e164", "+0612345678"),
        ("phone_e164", "+٣٣٦١٢٣٤٥٦٧٨"),  # Arabic-Indic digits are not E.164
        ("phone_e164", "+1234567890123456"),
        ("email", "not-an-email"),
        ("connect_id", "a b"),
        ("display_name", "   "),
        ("user_id", "not-a-uuid"),
    ],
)
def test_badly_formatted_fields_are_refused_by_name(field: str, value: str) -> None:
    with pytest.raises(ValidationError, match=field):
        ce.UserRegistered.model_validate(_user(**{field: value}))


def test_datetimes_must_carry_a_time_zone() -> None:
    naive = datetime(2030, 1, 1)
    with pytest.raises(ValidationError, match="expires_at"):
        ce.InvitationSent(
            invitation_id=uuid4(), inviter_id=uuid4(), channel="email", email="a@b.io",
            expires_at=naive,
        )  # fmt: skip


def test_an_invitation_needs_the_address_of_its_channel() -> None:
    with pytest.raises(ValidationError, match="email is required"):
        ce.InvitationRequested(
            import_id=uuid4(), inviter_id=uuid4(), request_id=uuid4(), channel="email",
            phone_e164="+33612345678",
        )  # fmt: skip


Closing = type[ce.InvitationCancelled | ce.InvitationAccepted | ce.InvitationExpired]


@pytest.mark.parametrize(
    "closing",
    [ce.InvitationCancelled, ce.InvitationAccepted, ce.InvitationExpired],
    ids=lambda closing: closing.name,
)
def test_closing_events_name_the_request_that_created_the_invitation(
    closing: Closing, all_samples: dict[str, ce.IntegrationEvent]
) -> None:
    """`request_id` travels with the event; one published before the field existed reads as
    without it."""
    event = all_samples[closing.name]
    assert isinstance(event, closing) and event.request_id is not None
    data = event.model_dump(mode="json")
    assert data["request_id"] == str(event.request_id)
    assert closing.model_validate_json(json.dumps(data)) == event
    earlier = {key: value for key, value in data.items() if key != "request_id"}
    assert closing.model_validate(earlier).request_id is None


def test_contact_added_says_where_it_came_from() -> None:
    owner, contact = uuid4(), uuid4()
    with pytest.raises(ValidationError, match="import_id is required"):
        ce.ContactAdded(owner_id=owner, contact_user_id=contact, source="phone_import")
    with pytest.raises(ValidationError, match="invitation_id is required"):
        ce.ContactAdded(
            owner_id=owner, contact_user_id=contact, source="connect_id", invitation_id=uuid4()
        )
    added = ce.ContactAdded(owner_id=owner, contact_user_id=contact, source="connect_id")
    assert added.source is ce.ContactSource.CONNECT_ID


def _row(**changes: Any) -> dict[str, Any]:
    base = {
        "import_id": uuid4(),
        "owner_id": uuid4(),
        "source": "pasted",
        "row_number": 1,
        "raw_phone": "abc",
        "status": "invalid",
        "reason_code": "unparseable",
        "reason": "This is not a phone number.",
    }
    return {**base, **changes}


def test_row_fields_follow_the_row_status() -> None:
    assert ce.ImportRowValidated.model_validate(_row()).phone_e164 is None
    with pytest.raises(ValidationError, match="phone_e164 is required"):
        ce.ImportRowValidated.model_validate(_row(status="ready_to_invite"))
    with pytest.raises(ValidationError, match="matched_user_id is required"):
        ce.ImportRowValidated.model_validate(_row(status="user_added", phone_e164="+33612345678"))
    with pytest.raises(ValidationError, match="row_number"):
        ce.ImportRowValidated.model_validate(_row(row_number=0))
    with pytest.raises(ValidationError, match="reason_code"):
        ce.ImportRowValidated.model_validate(_row(reason_code="Not Snake"))


def test_import_counts_cover_every_status_and_add_up() -> None:
    assert set(ce.ImportCounts.model_fields) == {status.value for status in ce.RowStatus}
    counts = {status.value: 2 for status in ce.RowStatus}
    ids = {"import_id": uuid4(), "owner_id": uuid4()}
    assert ce.ImportCompleted(**ids, total_rows=14, counts=counts).counts.total() == 14
    with pytest.raises(ValidationError, match="counts add up to 14, not 13"):
        ce.ImportCompleted(**ids, total_rows=13, counts=counts)


def test_producer_of_refuses_events_outside_the_catalogue() -> None:
    class Stray(ce.IntegrationEvent):
        name = "Stray"
        topic = "stray"

    with pytest.raises(ValueError, match="not defined in a catalogue module"):
        ce.producer_of(Stray)


def test_every_event_has_a_sample_for_the_round_trips(
    all_samples: dict[str, ce.IntegrationEvent],
) -> None:
    assert set(all_samples) == {cls.name for cls in ce.registry.events()}
