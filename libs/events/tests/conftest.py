"""One valid sample of every catalogue event, for round trips and schema checks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import contacts_events as ce
import pytest

USER, OTHER, COMPANY, IMPORT, INVITATION, OFFER = (uuid4() for _ in range(6))
EXPIRES = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC) + timedelta(microseconds=7)
PHONE = "+33612345678"


def _samples() -> list[ce.IntegrationEvent]:
    profile = {"connect_id": "jane.doe-42", "display_name": "Jane Doe", "phone_e164": PHONE}
    sms = {"channel": ce.InvitationChannel.SMS, "phone_e164": PHONE, "expires_at": EXPIRES}
    invitation = {"invitation_id": INVITATION, "inviter_id": USER}
    contact = {"owner_id": USER, "contact_user_id": OTHER}
    row = {
        "import_id": IMPORT,
        "owner_id": USER,
        "row_number": 2,
        "raw_phone": "06 12 34 56 78",
        "source": ce.ImportSource.FILE,
    }
    counts = {status.value: 1 for status in ce.RowStatus}
    offer = {"company_id": COMPANY, "offer_id": OFFER, "user_id": USER}
    return [
        ce.UserRegistered(user_id=USER, email="jane@example.com", company_id=COMPANY, **profile),
        ce.UserProfileChanged(user_id=USER, changed_fields=("display_name",), **profile),
        ce.UserDeactivated(user_id=USER, reason=ce.DeactivationReason.CLOSED_BY_USER),
        ce.CompanyCreated(company_id=COMPANY, company_name="Acme Ltd"),
        ce.CompanyMemberJoined(
            company_id=COMPANY, user_id=USER, role=ce.CompanyRole.ADMIN, offer_id=OFFER
        ),
        ce.CompanyMemberLeft(company_id=COMPANY, user_id=USER),
        ce.CompanyMembershipOffered(
            **offer, role=ce.CompanyRole.MEMBER, offered_by=OTHER, expires_at=EXPIRES
        ),
        ce.CompanyMembershipDeclined(**offer),
        ce.CompanyMembershipWithdrawn(**offer),
        ce.ContactPointCreated(
            company_id=COMPANY, contact_point_id=OTHER, connect_id="support", display_name="Desk"
        ),
        ce.ContactPointRemoved(company_id=COMPANY, contact_point_id=OTHER),
        ce.ContactAdded(source=ce.ContactSource.LIST_IMPORT, import_id=IMPORT, **contact),
        ce.ContactArchived(**contact),
        ce.ContactUnarchived(**contact),
        ce.ContactRemoved(reason=ce.ContactRemovalReason.REMOVED_BY_OWNER, **contact),
        ce.ImportStarted(import_id=IMPORT, owner_id=USER, source="file", filename="a.xlsx"),
        ce.ImportRowValidated(
            **row,
            phone_e164=PHONE,
            status=ce.RowStatus.READY_TO_INVITE,
            reason_code="mobile_not_registered",
            reason="This mobile number can be invited by SMS.",
            display_name="Émile Zoé",
        ),
        ce.ImportRowMatched(
            import_id=IMPORT,
            owner_id=USER,
            source=ce.ImportSource.FILE,
            row_number=2,
            matched_user_id=OTHER,
        ),
        ce.ImportCompleted(import_id=IMPORT, owner_id=USER, total_rows=7, counts=counts),
        ce.InvitationRequested(import_id=IMPORT, inviter_id=USER, request_id=uuid4(), **sms),
        ce.InvitationSent(request_id=uuid4(), import_id=IMPORT, **invitation, **sms),
        ce.InvitationDeliveryFailed(
            **invitation,
            channel="sms",
            attempt=1,
            reason_code="invalid_number",
            reason="The operator says this number does not exist.",
            will_retry=False,
        ),
        ce.InvitationResent(resend_count=1, **invitation, **sms),
        ce.InvitationCancelled(
            reason=ce.CancellationReason.DELETED_BY_INVITER, request_id=uuid4(), **invitation
        ),
        ce.InvitationAccepted(
            **invitation,
            request_id=uuid4(),
            invitee_user_id=OTHER,
            channel="sms",
            matched_by="invitation_token",
        ),
        ce.InvitationExpired(request_id=uuid4(), **invitation),
        ce.InvitationRefused(
            **invitation,
            request_id=uuid4(),
            import_id=IMPORT,
            row_number=3,
            channel="sms",
            phone_e164="+449090123456",
            reason_code="premium_rate",
            reason="Premium-rate numbers are never invited (SMS pumping).",
        ),
    ]


SAMPLES: dict[str, ce.IntegrationEvent] = {event.name: event for event in _samples()}


@pytest.fixture(params=sorted(SAMPLES), ids=str)
def sample_event(request: pytest.FixtureRequest) -> ce.IntegrationEvent:
    """Each catalogue event in turn."""
    return SAMPLES[request.param]


@pytest.fixture
def all_samples() -> dict[str, ce.IntegrationEvent]:
    return dict(SAMPLES)
