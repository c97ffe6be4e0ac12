"""Calls the membership offer tests make: an admin offers, the user answers."""

from __future__ import annotations

import httpx
from contacts_testing.auth import bearer

OFFERS = "/v1/users/me/membership-offers"


def offer(
    directory: httpx.Client,
    company_id: str,
    admin: dict[str, str],
    user_id: str,
    role: str = "member",
) -> httpx.Response:
    """The admin's add: an offer to the user (the platform's: a member at once)."""
    body = {"user_id": user_id, "role": role}
    return directory.post(f"/v1/companies/{company_id}/members", json=body, headers=admin)


def answer(
    directory: httpx.Client, user_id: str, offer_id: str, verb: str = "accept"
) -> httpx.Response:
    """The user accepts (or `verb`: declines) an offer."""
    return directory.post(f"{OFFERS}/{offer_id}/{verb}", headers=bearer(user_id))


def company_of(directory: httpx.Client, user_id: str) -> str | None:
    me = directory.get("/v1/users/me", headers=bearer(user_id))
    company_id: str | None = me.json()["company_id"]
    return company_id
