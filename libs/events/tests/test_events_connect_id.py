"""ConnectID generation and validation (property-based: typos are caught before any look-up)."""

import pytest
from contacts_events.connect_id import (
    ALPHABET,
    LENGTH,
    InvalidConnectId,
    display,
    generate,
    parse,
)
from hypothesis import given
from hypothesis import strategies as st

pytestmark = pytest.mark.unit

connect_ids = st.builds(lambda _: generate(), st.integers())


def test_the_alphabet_has_no_look_alikes_and_a_prime_size():
    assert not set("01OIL") & set(ALPHABET)
    assert len(ALPHABET) == len(set(ALPHABET)) == 31


@given(connect_ids)
def test_generated_ids_are_valid_and_round_trip_through_display_and_case(cid):
    assert len(cid) == LENGTH
    assert parse(cid) == cid
    assert parse(display(cid)) == cid
    assert parse(f"  {display(cid).lower()} ") == cid
    assert parse(" ".join(cid)) == cid


@given(connect_ids, st.integers(0, LENGTH - 1), st.sampled_from(ALPHABET))
def test_every_single_character_typo_is_caught(cid, position, symbol):
    if cid[position] == symbol:
        return
    typo = cid[:position] + symbol + cid[position + 1 :]
    with pytest.raises(InvalidConnectId) as error:
        parse(typo)
    assert error.value.code == "check_failed"


@given(connect_ids, st.integers(0, LENGTH - 2))
def test_every_adjacent_transposition_is_caught(cid, position):
    if cid[position] == cid[position + 1]:
        return
    swapped = cid[:position] + cid[position + 1] + cid[position] + cid[position + 2 :]
    with pytest.raises(InvalidConnectId) as error:
        parse(swapped)
    assert error.value.code == "check_failed"


def test_every_typo_and_swap_of_one_id_exhaustively():
    cid = generate()
    variants = {cid[:i] + s + cid[i + 1 :] for i in range(LENGTH) for s in ALPHABET}
    variants |= {cid[:i] + cid[i + 1] + cid[i] + cid[i + 2 :] for i in range(LENGTH - 1)}
    variants.discard(cid)
    accepted = []
    for variant in variants:
        try:
            parse(variant)
            accepted.append(variant)
        except InvalidConnectId:
            pass
    assert accepted == []


@pytest.mark.parametrize(
    ("raw", "code", "words"),
    [
        ("", "empty", "empty"),
        ("   ", "empty", "empty"),
        ("ABC-DEF-GH0", "unused_character", "never contain '0'"),
        ("abc-def-ghl", "unused_character", "never contain 'L'"),
        ("ABC-DEF-GH!", "invalid_character", "'!'"),
        ("ABC-DEF", "wrong_length", "has 6"),
        ("ABC-DEF-GHJK", "wrong_length", "has 10"),
    ],
)
def test_malformed_input_is_refused_with_a_reason(raw, code, words):
    with pytest.raises(InvalidConnectId) as error:
        parse(raw)
    assert error.value.code == code
    assert words in error.value.reason
