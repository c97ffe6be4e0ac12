"""Pasted phone numbers: split on commas, semicolons, tabs and line breaks, never inside a
number written with spaces, dots, hyphens or parentheses."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from importer_service.adapters.sources.pasted import SEPARATORS, split_pasted

pytestmark = pytest.mark.unit

PHONE_PUNCTUATION = " .-()/"
tokens = st.text(
    st.characters(blacklist_characters=SEPARATORS, blacklist_categories=("Cs",)), min_size=1
).map(str.strip).filter(bool)  # fmt: skip
separator_runs = st.text(st.sampled_from(SEPARATORS + " "), min_size=1).filter(
    lambda run: any(char in SEPARATORS for char in run)
)
phones = st.from_regex(r"\+?[0-9][0-9 .()\-]{2,18}[0-9]", fullmatch=True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+33 6 12 34 56 78", ["+33 6 12 34 56 78"]),
        ("(020) 7123-4567, 06.12.34.56.78", ["(020) 7123-4567", "06.12.34.56.78"]),
        ("0612345678;0698765432\t+44 7400 123456", ["0612345678", "0698765432", "+44 7400 123456"]),
        ("a\r\nb\rc\nd", ["a", "b", "c", "d"]),
        (" ,, ;\n\t a ;;\r\n\r\n b ,", ["a", "b"]),
        (
            "06 12 34 56 78\u2028+1 (555) 010-9999\uff0c+49 151 2345678",
            ["06 12 34 56 78", "+1 (555) 010-9999", "+49 151 2345678"],
        ),
        ("not a number, 12", ["not a number", "12"]),
        ("", []),
        (" \n\t;,\r\n ", []),
    ],
)
def test_splits_on_separators_only(text: str, expected: list[str]) -> None:
    assert split_pasted(text) == expected


def test_a_column_copied_from_a_spreadsheet_is_one_number_a_line() -> None:
    copied = "Phone\r\n+33 6 12 34 56 78\r\n\r\n06-12-34-56-79\r\n"
    assert split_pasted(copied) == ["Phone", "+33 6 12 34 56 78", "06-12-34-56-79"]


@given(st.lists(tokens, min_size=1, max_size=20), st.data())
def test_joining_tokens_with_any_separators_splits_back_to_them(
    parts: list[str], data: st.DataObject
) -> None:
    runs = data.draw(st.lists(separator_runs, min_size=len(parts) + 1, max_size=len(parts) + 1))
    text = runs[0] + "".join(part + run for part, run in zip(parts, runs[1:], strict=True))
    assert split_pasted(text) == parts


@given(st.lists(phones, min_size=1, max_size=20), st.data())
def test_phone_numbers_written_any_way_come_back_whole(
    numbers: list[str], data: st.DataObject
) -> None:
    runs = data.draw(st.lists(separator_runs, min_size=len(numbers), max_size=len(numbers)))
    text = "".join(number + run for number, run in zip(numbers, runs, strict=True))
    assert split_pasted(text) == numbers


@given(st.text())
def test_no_token_is_empty_padded_or_holds_a_separator(text: str) -> None:
    for token in split_pasted(text):
        assert token and token == token.strip()
        assert not set(token) & set(SEPARATORS)


@given(st.text())
def test_tokens_keep_the_order_they_were_pasted_in(text: str) -> None:
    position = 0
    for token in split_pasted(text):
        found = text.find(token, position)
        assert found >= position
        position = found + len(token)
