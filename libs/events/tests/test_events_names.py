"""Names lose invisible, direction-changing and control characters; scripts and emoji stay."""

import pytest
from contacts_events.names import _visible, clean_name, has_control_characters
from hypothesis import given
from hypothesis import strategies as st

pytestmark = pytest.mark.unit

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # man ZWJ woman ZWJ girl
CODER = "\U0001f469\U0001f3fd\u200d\U0001f4bb"  # woman, skin tone, ZWJ, laptop
HIDDEN = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u200b\u200c\u2060\ufeff\u00ad\u3164\U000e0041"


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        ("\u202eevil", "evil"),  # shown as "live" without the removal
        ("Ad\u200ba", "Ada"),
        ("\ufeffBob", "Bob"),
        ("\u2066Eve\u2069 \u200eAdmin\u200f", "Eve Admin"),
        ("Ann\u00adette", "Annette"),
        ("a\u200db", "ab"),  # a joiner between letters is removed
        ("\u3164", ""),  # a letter that renders as nothing
        ("  Ada \t\n Lovelace ", "Ada Lovelace"),
        ("Ada\x00\x1b[31m", "Ada[31m"),
    ],
)
def test_invisible_and_direction_changing_characters_are_removed(raw: str, kept: str) -> None:
    assert clean_name(raw) == kept


@pytest.mark.parametrize(
    "name",
    ["Ada Lovelace", "מרים כהן", "مريم الحسن", "名前 ✓", "Zoë O'Brien", FAMILY, CODER,
     "\u2764\ufe0f Mum", "José Ñúñez"],
)  # fmt: skip
def test_scripts_emoji_sequences_and_variation_selectors_are_kept(name: str) -> None:
    assert clean_name(name) == name


@given(st.text(alphabet=st.sampled_from(HIDDEN + "ab \t")))
def test_no_hidden_character_survives(raw: str) -> None:
    cleaned = clean_name(raw)
    assert not set(cleaned) & set(HIDDEN)
    assert cleaned == cleaned.strip() and "  " not in cleaned


@given(st.text())
def test_cleaning_is_idempotent(raw: str) -> None:
    assert clean_name(clean_name(raw)) == clean_name(raw)


@pytest.mark.parametrize(
    ("raw", "control"),
    [("Ada", False), ("Ada\tLovelace\n", False), ("\u202eevil", False), ("Ada\x00", True),
     ("\x1b[31m", True), ("del\x7f", True), ("c1\x9b", True)],
)  # fmt: skip
def test_control_characters_other_than_white_space_are_found(raw: str, control: bool) -> None:
    assert has_control_characters(raw) is control


@given(st.text() | st.text(alphabet=st.sampled_from(HIDDEN + "\u034f\u17b4é名 \t")))
def test_the_shortcut_for_text_with_nothing_hidden_cleans_as_the_character_walk_does(
    raw: str,
) -> None:
    """Printable text without a letter that renders as nothing skips the walk; any text
    cleans the same as if every character had been looked at."""
    assert clean_name(raw) == " ".join(_visible(raw).split())
