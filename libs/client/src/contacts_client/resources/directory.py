"""The directory's look-up, companies, members and contact points (/v1/connect-ids,
/v1/companies)."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

import httpx

from contacts_client.call import Call, model, nothing, segment
from contacts_client.models.base import Page
from contacts_client.models.directory import Company, ContactPoint, LookedUp
from contacts_client.models.users import MembershipOffer
from contacts_client.operation import Group, S, operation, pages


def look_up_connect_id(connect_id: str) -> Call[LookedUp]:
    """The public profile behind a ConnectID (``K7Q-M2X-9HB``, any case, hyphens or not), with
    the ``add_token`` that adds it as a contact. Limited per user (429 with Retry-After)."""
    return Call("GET", "directory", f"/v1/connect-ids/{segment(connect_id)}", model(LookedUp))


def create_company(name: str) -> Call[Company]:
    """Set up a company (platform credentials); then add its first admin as a member."""
    return Call(
        "POST", "directory", "/v1/companies", model(Company), json={"name": name}, creates=True
    )


def read_company(company_id: UUID | str) -> Call[Company]:
    """A company the caller belongs to."""
    return Call("GET", "directory", f"/v1/companies/{segment(company_id)}", model(Company))


def _offer_or_nothing(response: httpx.Response) -> MembershipOffer | None:
    return None if response.status_code == 204 else model(MembershipOffer)(response)


def add_member(
    company_id: UUID | str, user_id: UUID | str, role: Literal["member", "admin"] = "member"
) -> Call[MembershipOffer | None]:
    """Offer a user to join (company admins): the pending offer, which they accept or decline.
    Platform credentials add the user at once (``None``)."""
    return Call(
        "POST", "directory", f"/v1/companies/{segment(company_id)}/members", _offer_or_nothing,
        json={"user_id": str(user_id), "role": role}, creates=True,
    )  # fmt: skip


def remove_member(company_id: UUID | str, user_id: UUID | str) -> Call[None]:
    """Remove a member (company admins), or leave the company (the member themself)."""
    path = f"/v1/companies/{segment(company_id)}/members/{segment(user_id)}"
    return Call("DELETE", "directory", path, nothing)


def withdraw_membership_offer(company_id: UUID | str, offer_id: UUID | str) -> Call[None]:
    """Withdraw a pending membership offer (company admins; again: no change)."""
    path = f"/v1/companies/{segment(company_id)}/membership-offers/{segment(offer_id)}"
    return Call("DELETE", "directory", path, nothing)


def list_contact_points(
    company_id: UUID | str, *, cursor: str | None = None, limit: int = 50
) -> Call[Page[ContactPoint]]:
    """One page of the company's shared contact points, by name."""
    path = f"/v1/companies/{segment(company_id)}/contact-points"
    params = {"cursor": cursor, "limit": limit}
    return Call("GET", "directory", path, model(Page[ContactPoint]), params=params)


def create_contact_point(company_id: UUID | str, display_name: str) -> Call[ContactPoint]:
    """Publish a shared contact point ("Reception") with its own ConnectID (company admins)."""
    path = f"/v1/companies/{segment(company_id)}/contact-points"
    body = {"display_name": display_name}
    return Call("POST", "directory", path, model(ContactPoint), json=body, creates=True)


def remove_contact_point(company_id: UUID | str, contact_point_id: UUID | str) -> Call[None]:
    """Withdraw a contact point (company admins)."""
    path = f"/v1/companies/{segment(company_id)}/contact-points/{segment(contact_point_id)}"
    return Call("DELETE", "directory", path, nothing)


class Directory(Group[S]):
    """Look-ups by ConnectID, companies, their members and contact points."""

    look_up_connect_id = operation(look_up_connect_id)
    create_company = operation(create_company)
    read_company = operation(read_company)
    add_member = operation(add_member)
    remove_member = operation(remove_member)
    withdraw_membership_offer = operation(withdraw_membership_offer)
    list_contact_points = operation(list_contact_points)
    iter_contact_points = pages(list_contact_points)  # every contact point, page after page
    create_contact_point = operation(create_contact_point)
    remove_contact_point = operation(remove_contact_point)
