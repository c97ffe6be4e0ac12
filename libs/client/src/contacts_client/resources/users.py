"""Users (directory, /v1/users): one's own profile and its proofs, closing an account, the
offers to join a company; registering and deactivating users (platform credentials)."""

from __future__ import annotations

from uuid import UUID

from contacts_client.call import Call, model, nothing, present, segment
from contacts_client.models.base import Page
from contacts_client.models.users import MembershipOffer, User
from contacts_client.operation import Group, S, operation, pages

OFFERS = "/v1/users/me/membership-offers"


def read_me() -> Call[User]:
    """The caller's own profile, with phone number and email."""
    return Call("GET", "directory", "/v1/users/me", model(User))


def change_me(*, display_name: str | None = None, email: str | None = None) -> Call[User]:
    """Change one's display name, or remove one's email with ``email=""``. A new phone number
    or email needs proof: :func:`start_verification`."""
    body = present(display_name=display_name, email=email)
    return Call("PATCH", "directory", "/v1/users/me", model(User), json=body, idempotent=True)


def start_verification(*, phone: str | None = None, email: str | None = None) -> Call[None]:
    """Send a code to a new phone number (SMS) or email (give one); nothing changes until
    :func:`confirm_verification`."""
    body = present(phone=phone, email=email)
    return Call("POST", "directory", "/v1/users/me/verifications", nothing, json=body)


def confirm_verification(
    code: str, *, phone: str | None = None, email: str | None = None
) -> Call[User]:
    """Confirm the code sent by :func:`start_verification`: the number or email is yours."""
    body = present(phone=phone, email=email, code=code)
    path = "/v1/users/me/verifications/confirm"
    return Call("POST", "directory", path, model(User), json=body)


def close_my_account() -> Call[None]:
    """Close the caller's account: its number and email become free, its tokens stop working."""
    return Call("DELETE", "directory", "/v1/users/me", nothing, tokens="forget")


def list_membership_offers(
    *, cursor: str | None = None, limit: int = 50
) -> Call[Page[MembershipOffer]]:
    """One page of the caller's pending offers to join a company, oldest first."""
    params = {"cursor": cursor, "limit": limit}
    return Call("GET", "directory", OFFERS, model(Page[MembershipOffer]), params=params)


def accept_membership_offer(offer_id: UUID | str) -> Call[MembershipOffer]:
    """Join the company (409 ``member_of_another_company`` while in another one)."""
    path = f"{OFFERS}/{segment(offer_id)}/accept"
    return Call("POST", "directory", path, model(MembershipOffer), idempotent=True)


def decline_membership_offer(offer_id: UUID | str) -> Call[MembershipOffer]:
    """Say no to joining the company."""
    path = f"{OFFERS}/{segment(offer_id)}/decline"
    return Call("POST", "directory", path, model(MembershipOffer), idempotent=True)


def register_user(
    display_name: str, phone: str, *, email: str | None = None,
    company_id: UUID | str | None = None, invitation_token: str | None = None,
) -> Call[User]:  # fmt: skip
    """Register a user whose number a backend verified (platform credentials: ``service``)."""
    body = present(
        display_name=display_name, phone=phone, email=email,
        company_id=str(company_id) if company_id else None, invitation_token=invitation_token,
    )  # fmt: skip
    return Call("POST", "directory", "/v1/users", model(User), json=body, creates=True)


def deactivate_user(user_id: UUID | str) -> Call[None]:
    """Close a user's account (platform credentials)."""
    path = f"/v1/users/{segment(user_id)}/deactivation"
    return Call("POST", "directory", path, nothing, idempotent=True)


class Users(Group[S]):
    """The caller's profile and membership offers; users as the platform's backends see them."""

    read_me = operation(read_me)
    change_me = operation(change_me)
    start_verification = operation(start_verification)
    confirm_verification = operation(confirm_verification)
    close_my_account = operation(close_my_account)
    list_membership_offers = operation(list_membership_offers)
    iter_membership_offers = pages(list_membership_offers)  # every pending offer
    accept_membership_offer = operation(accept_membership_offer)
    decline_membership_offer = operation(decline_membership_offer)
    register_user = operation(register_user)
    deactivate_user = operation(deactivate_user)
