"""A chunk's names and emails made column-wise (adapters/row_columns.py) are exactly what the
per-row rules give (`row_name`, `row_email`), for any text, and the common ones take no Python
call per row."""

from __future__ import annotations

import polars as pl
import pytest
from contacts_events.names import clean_name
from hypothesis import given, settings
from hypothesis import strategies as st
from importer_service.adapters import row_columns
from importer_service.adapters.row_columns import row_email, row_emails, row_names
from importer_service.domain.model import row_name

pytestmark = pytest.mark.unit

# Postgres stores no lone surrogate, so no stored row holds one.
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
TRICKY = [
    None, "", " ", "  ", "Ada", "Ada Lovelace", " Ada", "Ada ", "Ada  Lovelace", "Ada\tLovelace",
    "  Eve\u202e  ", "a\u200bb", "\u200b", "\ufeffBom", "\U0001f468\u200d\U0001f469", "a\u200db",
    "\u3164", "x\u3164y", "\u00a0Ada", "Zoë Ñúñez", "李小龙", "محمد علي", "\x1cA", "A\x00B", "\u0378",
    "é" * 250, "a " * 150, "\u2028", "Jean-Luc O'Neil", "\U000e0041tag",
]  # fmt: skip
EMAILS = [
    None, "", " ", "ada@example.org", " ada@example.org ", "ada@example", "@example.org",
    "a b@example.org", "ada@exa mple.org", "ada@@example.org", "zoë@example.org", "ada@example.org\n",
    "a\u00a0@example.org", f"{'a' * 250}@b.org", f"{'a' * 245}@b.org", '"q"@example.org',
    "\x1cada@example.org\x1c",
]  # fmt: skip


def names_frame(parts: list[tuple[str | None, str | None, str | None]]) -> pl.DataFrame:
    columns = list(zip(*parts, strict=True)) or [(), (), ()]
    return pl.DataFrame(
        [pl.Series(name, column, pl.String) for name, column in zip(row_columns.NAME_PARTS, columns, strict=True)]
    )  # fmt: skip


def test_tricky_names_are_those_row_name_gives() -> None:
    parts = [(d, f, last) for d in TRICKY for f in TRICKY[:12] for last in (None, "Marsh", " ")]
    assert row_names(names_frame(parts)).to_list() == [row_name(*p) for p in parts]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.none() | TEXT, st.none() | TEXT, st.none() | TEXT), max_size=20))
def test_any_names_are_those_row_name_gives(
    parts: list[tuple[str | None, str | None, str | None]],
) -> None:
    assert row_names(names_frame(parts)).to_list() == [row_name(*p) for p in parts]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.none() | TEXT | st.emails(), max_size=20))
def test_any_emails_are_those_row_email_gives(emails: list[str | None]) -> None:
    frame = pl.DataFrame([pl.Series("email", emails, pl.String)])
    assert row_emails(frame).to_list() == [row_email(e) for e in emails]


def test_tricky_emails_are_those_row_email_gives() -> None:
    frame = pl.DataFrame([pl.Series("email", EMAILS, pl.String)])
    assert row_emails(frame).to_list() == [row_email(e) for e in EMAILS]
    assert row_email(" ada@example.org ") == "ada@example.org"


def test_the_name_pattern_holds_exactly_the_characters_clean_name_keeps_as_they_are() -> None:
    """Every code point (but surrogates): the pattern takes it alone iff it is printable, not a
    space, not rendered as nothing, and each it takes is one `clean_name` gives back."""
    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    taken = pl.Series(chars).str.contains(row_columns._clean_name_pattern()).to_list()
    kept = [
        c.isprintable() and c != " " and c not in row_columns.RENDERED_AS_NOTHING for c in chars
    ]
    assert taken == kept
    assert all(clean_name(c) == c for c, take in zip(chars, taken, strict=True) if take)


def test_common_names_take_no_call_per_row(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*_args: object) -> None:
        raise AssertionError("a per-row call for a name that needs no cleaning")

    monkeypatch.setattr(row_columns, "row_name", refused)
    monkeypatch.setattr(row_columns, "row_email", refused)
    parts = [("Zoë Ñúñez", None, None), (None, "Ada", "Lovelace"), ("", "李小龙", None),
             (None, None, None), (None, "محمد", "")]  # fmt: skip
    assert row_names(names_frame(parts)).to_list() == [
        "Zoë Ñúñez", "Ada Lovelace", "李小龙", None, "محمد"
    ]  # fmt: skip
    emails = pl.DataFrame([pl.Series("email", ["ada@example.org", None, "", "nope"])])
    assert row_emails(emails).to_list() == ["ada@example.org", None, None, None]
