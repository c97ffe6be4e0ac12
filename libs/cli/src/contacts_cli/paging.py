"""The first N items of a paged list: the first page (which says how many there are in all),
then the following pages only while more are wanted."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import islice
from typing import TypeVar

from contacts_client import Page

T = TypeVar("T")
PAGE_MAX = 200  # the largest page the contacts and invitations services answer


def first_items(
    first_page: Page[T], following: Callable[[str], Iterator[T]], wanted: int
) -> list[T]:
    """Up to ``wanted`` items: ``first_page``'s, then ``following(next_cursor)``'s."""
    items = first_page.items[:wanted]
    if len(items) < wanted and first_page.next_cursor is not None:
        items += islice(following(first_page.next_cursor), wanted - len(items))
    return items
