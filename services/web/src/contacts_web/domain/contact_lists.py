"""Which list of contacts a page shows (Active or Archived, a name search, a page), and the
links that keep that choice: to the next page, back to the first, to one contact.

The contacts API pages by cursor (`next_cursor`), so the list is walked forward; "First page"
starts again. Every link carries the list and the search, so reloading, going back, or
opening a contact without JavaScript shows the same list."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from typing import Literal
from urllib.parse import urlencode
from uuid import UUID

from contacts_web.domain.statuses import N_

ListName = Literal["active", "archived"]
LIST_TITLES: dict[ListName, str] = {
    "active": N_("Active contacts"),
    "archived": N_("Archived contacts"),
}


@dataclass(frozen=True)
class ListView:
    list_name: ListName = "active"
    q: str = ""  # a name prefix, as typed (the API matches it case- and accent-insensitively)
    cursor: str | None = None  # None: the first page

    @property
    def title(self) -> str:
        """The list's name, a catalogue message id."""
        return LIST_TITLES[self.list_name]

    @property
    def query(self) -> dict[str, str]:
        """The query string's parameters, without the defaults."""
        params = {"list": self.list_name if self.list_name != "active" else "", "q": self.q}
        params["cursor"] = self.cursor or ""
        return {name: value for name, value in params.items() if value}

    @cached_property
    def _query_string(self) -> str:
        """Encoded once per page: each of its 50 contacts links with it."""
        return urlencode(self.query)

    def href(self, path: str = "/contacts") -> str:
        return f"{path}?{self._query_string}" if self._query_string else path

    def next_page(self, cursor: str) -> str:
        return replace(self, cursor=cursor).href()

    def first_page(self) -> str:
        return replace(self, cursor=None).href()

    def contact(self, contact_id: UUID | str) -> str:
        """A contact's sidebar, over this same list."""
        return self.href(f"/contacts/{contact_id}")

    def action(self, contact_id: UUID | str, verb: str) -> str:
        """Where the Archived toggle posts (`archive`, `unarchive`), keeping this list."""
        return self.href(f"/contacts/{contact_id}/{verb}")
