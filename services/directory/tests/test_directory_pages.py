"""The directory's lists come a page at a time: `cursor` and `limit` in, `items` and
`next_cursor` out, nothing skipped or repeated; a cursor the API did not make is 422."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from .conftest import STAFF, bearer, company_run_by, register
from .membership_offers import OFFERS, offer

pytestmark = pytest.mark.integration
SOMEONE = "00000000-0000-4000-8000-000000000001"


def every_page(directory: httpx.Client, path: str, headers: dict[str, str]) -> list[list[str]]:
    """The ids on each page of two items."""
    pages, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = directory.get(path, params=params, headers=headers).json()
        pages.append([item.get("contact_point_id") or item["offer_id"] for item in page["items"]])
        if (cursor := page["next_cursor"]) is None:
            return pages


def test_contact_points_come_by_name_a_page_at_a_time(
    directory: httpx.Client, new_phone: Callable[[], str]
) -> None:
    company_id = company_run_by(directory, register(directory, new_phone(), "Wile"), "Acme")
    points = f"/v1/companies/{company_id}/contact-points"
    made = {
        name: directory.post(points, json={"display_name": name}, headers=STAFF).json()
        for name in ("Sales", "Reception", "Accounts")
    }
    ids = [made[name]["contact_point_id"] for name in ("Accounts", "Reception", "Sales")]
    assert every_page(directory, points, STAFF) == [ids[:2], ids[2:]]


def test_membership_offers_come_oldest_first_a_page_at_a_time(
    directory: httpx.Client, new_phone: Callable[[], str]
) -> None:
    user = register(directory, new_phone())
    offered = []
    for name in ("Acme", "Globex", "Initech"):
        admin = register(directory, new_phone(), "Wile")
        company_id = company_run_by(directory, admin, name)
        offered.append(offer(directory, company_id, bearer(admin), user).json()["offer_id"])
    assert every_page(directory, OFFERS, bearer(user)) == [offered[:2], offered[2:]]


@pytest.mark.parametrize("cursor", ["not-a-cursor", "WyJ4Il0=", "WyIxIiwgIjIiXQ=="])
def test_a_cursor_the_api_did_not_make_is_422(directory: httpx.Client, cursor: str) -> None:
    answer = directory.get(OFFERS, params={"cursor": cursor}, headers=bearer(SOMEONE))
    assert answer.status_code == 422
    assert (answer.json()["error"], answer.json()["field"]) == ("bad_cursor", "cursor")
