"""The links of the contacts list keep the list, the search and the page they came from."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit
from uuid import UUID

import pytest
from contacts_web.domain.contact_lists import ListView

pytestmark = pytest.mark.unit

CONTACT = UUID("6f1c2b1e-7a52-4d55-9a3e-0d9b7f1f2c10")


def query_of(link: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(link).query)


def test_the_default_list_has_a_plain_address():
    assert ListView().href() == "/contacts"
    assert ListView().contact(CONTACT) == f"/contacts/{CONTACT}"


def test_links_keep_the_list_and_the_search_and_encode_them():
    view = ListView("archived", "Zoé & <b>", "abc")
    assert query_of(view.next_page("c2/==")) == {
        "list": ["archived"], "q": ["Zoé & <b>"], "cursor": ["c2/=="],
    }  # fmt: skip
    assert query_of(view.first_page()) == {"list": ["archived"], "q": ["Zoé & <b>"]}
    opened = view.contact(CONTACT)
    assert urlsplit(opened).path == f"/contacts/{CONTACT}"
    assert query_of(opened)["cursor"] == ["abc"]  # the sidebar opens over the same page
    assert urlsplit(view.action(CONTACT, "unarchive")).path == f"/contacts/{CONTACT}/unarchive"


def test_the_title_names_the_list():
    assert ListView("archived").title == "Archived contacts"
    assert ListView().title == "Active contacts"
