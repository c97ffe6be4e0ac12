"""The list page's JSON, written from plain values, is exactly what its response model says."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from asyncpg.pgproto.pgproto import UUID as PgUUID
from contacts_events.connect_id import generate
from contacts_service.domain.model import Contact, Page
from contacts_service.entrypoints.schemas import ContactPage, ContactView, page_json

pytestmark = pytest.mark.unit


def contact(kind: str, managed_by: str | None, **fields: object) -> Contact:
    values: dict = {
        "contact_id": uuid.uuid4(), "kind": kind, "connect_id": str(generate()),
        "display_name": "Zoë O'Brien \"<script>\" \u2028", "company_name": "Acme",
        "managed_by": managed_by, "source": None, "added_at": None, "archived": False,
        "sort_name": "zoe obrien",
    }  # fmt: skip
    return Contact(**(values | fields))


PAGES = [
    Page([], 0, None),
    Page(
        [
            contact("user", None, source="connect_id", added_at=datetime.now(UTC)),
            contact("user", "colleague", company_name=None),
            contact("contact_point", "company_contact_point", display_name=None),
            contact(
                "user",
                None,
                archived=True,
                connect_id=None,
                source="list_import",
                added_at=datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC),
            ),
            contact(
                "user",
                None,
                source="invitation",
                added_at=datetime(2026, 1, 2, tzinfo=UTC),
                contact_id=PgUUID(str(uuid.uuid4())),
            ),  # as asyncpg returns them
        ],
        193_049,
        "WyJ6b2Ugb2JyaWVuIl0",
    ),
]


@pytest.mark.parametrize("page", PAGES)
def test_page_json_is_byte_for_byte_the_models_json(page):
    model = ContactPage(
        items=[ContactView.of(c) for c in page.items], total=page.total,
        next_cursor=page.next_cursor,
    )  # fmt: skip
    assert page_json(page) == model.model_dump_json().encode()
    assert ContactPage.model_validate_json(page_json(page)) == model
