"""Invitations by SMS or email (invitations service, /v1/invitations) and the countries a
tenant's SMS invitations may go to (/v1/tenants/{id}/destination-countries)."""

from __future__ import annotations

from uuid import UUID

from contacts_client.call import Call, model, nothing, present, segment
from contacts_client.models.base import Page
from contacts_client.models.invitations import Channel, DestinationCountries, Invitation
from contacts_client.operation import Group, S, operation, pages


def create_invitation(
    *, phone: str | None = None, email: str | None = None, name: str | None = None,
    channel: Channel | None = None,
) -> Call[Invitation]:  # fmt: skip
    """Invite someone by SMS (``phone``, E.164) or email (``email``); ``channel`` defaults to
    the one given. While an invitation to them is pending, that one is returned."""
    chosen = channel or ("email" if email and not phone else "sms")
    body = present(channel=chosen, phone=phone, email=email, name=name)
    return Call(
        "POST", "invitations", "/v1/invitations", model(Invitation), json=body, creates=True
    )


def list_invitations(*, cursor: str | None = None, limit: int = 50) -> Call[Page[Invitation]]:
    """One page of the caller's pending invitations, newest first."""
    params = {"cursor": cursor, "limit": limit}
    return Call("GET", "invitations", "/v1/invitations", model(Page[Invitation]), params=params)


def resend_invitation(invitation_id: UUID | str) -> Call[Invitation]:
    """Send the invitation again (429 with ``retry_after`` inside the cool-down)."""
    path = f"/v1/invitations/{segment(invitation_id)}/resend"
    return Call("POST", "invitations", path, model(Invitation))


def delete_invitation(invitation_id: UUID | str) -> Call[None]:
    """Cancel a pending invitation."""
    return Call("DELETE", "invitations", f"/v1/invitations/{segment(invitation_id)}", nothing)


def _countries_path(tenant_id: UUID | str) -> str:
    return f"/v1/tenants/{segment(tenant_id)}/destination-countries"


def read_destination_countries(tenant_id: UUID | str) -> Call[DestinationCountries]:
    """Where the tenant's SMS invitations may go, and where its members' phones are."""
    return Call("GET", "invitations", _countries_path(tenant_id), model(DestinationCountries))


def replace_destination_countries(
    tenant_id: UUID | str, countries: list[str]
) -> Call[DestinationCountries]:
    """Allow SMS invitations only to these countries (ISO 3166 alpha-2; tenant admins)."""
    return Call(
        "PUT", "invitations", _countries_path(tenant_id), model(DestinationCountries),
        json={"countries": countries},
    )  # fmt: skip


def reset_destination_countries(tenant_id: UUID | str) -> Call[None]:
    """Drop the explicit list: the members' countries apply again (tenant admins)."""
    return Call("DELETE", "invitations", _countries_path(tenant_id), nothing)


class Invitations(Group[S]):
    """Invitations and the countries they may go to."""

    create_invitation = operation(create_invitation)
    list_invitations = operation(list_invitations)
    iter_invitations = pages(list_invitations)  # every pending invitation, page after page
    resend_invitation = operation(resend_invitation)
    delete_invitation = operation(delete_invitation)
    read_destination_countries = operation(read_destination_countries)
    replace_destination_countries = operation(replace_destination_countries)
    reset_destination_countries = operation(reset_destination_countries)
