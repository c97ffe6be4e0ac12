"""The four list requests measured, and the one-off check that the service answers them right.

Each scenario is one fixed request (the same URL at every tick of the attack), so that its
latency is that of one kind of page: (a) the first page of the active list, (b) a deep page
whose keyset cursor is computed from the seeded data, (c) a name-prefix search, (d) the
first page of the archived list.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode
from uuid import UUID

import httpx
from contacts_seeding import DataSet, Key
from contacts_service.domain.model import Cursor, ListName
from contacts_service.domain.names import sort_name

PAGE = 50
DEEP_OFFSET = 150_000


@dataclass(frozen=True)
class Scenario:
    name: str
    list_name: ListName
    q: str | None
    cursor: str | None
    entries: list[Key]  # the whole list (or search) the request pages through, in order
    offset: int  # where the requested page starts in `entries`

    @property
    def path(self) -> str:
        params = {"list": self.list_name.value, "limit": str(PAGE)}
        if self.q:
            params["q"] = self.q
        if self.cursor:
            params["cursor"] = self.cursor
        return f"/v1/contacts?{urlencode(params)}"

    @property
    def expected_page(self) -> list[Key]:
        return self.entries[self.offset : self.offset + PAGE]


def _cursor_before(entries: list[Key], offset: int) -> str:
    name, contact_id = entries[offset - 1]
    return Cursor(name, contact_id).encode()


def scenarios(data: DataSet, prefix: str) -> list[Scenario]:
    deep = min(DEEP_OFFSET, len(data.active) - PAGE)
    found = data.prefix_entries(sort_name(prefix))
    return [
        Scenario("first page", ListName.ACTIVE, None, None, data.active, 0),
        Scenario(f"deep page (after {deep:,})", ListName.ACTIVE, None,
                 _cursor_before(data.active, deep), data.active, deep),
        Scenario(f"search q={prefix}", ListName.ACTIVE, prefix, None, found, 0),
        Scenario("archived first page", ListName.ARCHIVED, None, None, data.archived, 0),
    ]  # fmt: skip


class WrongAnswer(AssertionError):
    pass


def _get(client: httpx.Client, path: str) -> dict[str, object]:
    response = client.get(path)
    if response.status_code != 200:
        raise WrongAnswer(f"GET {path}: {response.status_code} {response.text[:300]}")
    body: dict[str, object] = response.json()
    return body


def _keys(body: dict[str, object]) -> list[Key]:
    items = body["items"]
    assert isinstance(items, list)
    return [(sort_name(item["display_name"]), UUID(item["contact_id"])) for item in items]


def check(base_url: str, token: str, scenario: Scenario) -> str:
    """The page has the expected items in order, the expected total, and a next_cursor that
    leads to the following page. Raises WrongAnswer; returns a one-line summary."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=30) as client:
        body = _get(client, scenario.path)
        got, want = _keys(body), scenario.expected_page
        if len(got) != PAGE or got != sorted(got) or got != want:
            raise WrongAnswer(
                f"{scenario.name}: {len(got)} items, sorted {got == sorted(got)}, "
                f"first {got[:2]} expected {want[:2]}"
            )
        if body["total"] != len(scenario.entries):
            raise WrongAnswer(
                f"{scenario.name}: total {body['total']} expected {len(scenario.entries)}"
            )
        following = scenario.entries[scenario.offset + PAGE : scenario.offset + 2 * PAGE]
        cursor = body["next_cursor"]
        if not isinstance(cursor, str):
            raise WrongAnswer(f"{scenario.name}: no next_cursor")
        nxt = Scenario(scenario.name, scenario.list_name, scenario.q, cursor, scenario.entries,
                       scenario.offset + PAGE)  # fmt: skip
        got_next = _keys(_get(client, nxt.path))
        if got_next != following:
            raise WrongAnswer(f"{scenario.name}: next page {got_next[:2]} expected {following[:2]}")
    return (
        f"{scenario.name}: {PAGE} items in name order as seeded, total {body['total']:,}, "
        f"next_cursor gives the next {len(following)}"
    )
