"""ConnectIDs: the short, human-friendly ids that users and contact points are found by.

Format: 8 random symbols and 1 check symbol from a 31-symbol alphabet, shown in groups of
three (`K7Q-M2X-9HB`). The alphabet leaves out the look-alikes 0/O and 1/I/L. Input is
normalised (case, spaces, hyphens) and validated *before* any look-up: the check symbol
makes every single mistyped symbol and every swap of two neighbours an invalid ConnectID.

Why it catches them: with symbol values v1..v9 and weights 1..9, a valid ConnectID has
sum(i * vi) = 0 (mod 31). Changing one symbol changes the sum by w * d, swapping neighbours
by d; w is 1..9 and the difference d of two symbols is 1..30, and as 31 is prime neither
product can be a multiple of 31.
"""

from __future__ import annotations

import secrets
from typing import NewType

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_MODULUS = len(ALPHABET)  # 31, a prime
_VALUE = {symbol: value for value, symbol in enumerate(ALPHABET)}
_NEVER_USED = {"0": "O", "O": "O", "1": "I", "I": "I", "L": "L"}
PAYLOAD_LENGTH = 8
LENGTH = PAYLOAD_LENGTH + 1
_SEPARATORS = str.maketrans("", "", " -\t_.")

ConnectId = NewType("ConnectId", str)
"""A validated ConnectID in canonical form: 9 upper-case symbols, no separators."""


class InvalidConnectId(ValueError):
    """Input that cannot be a ConnectID; `reason` says why, for the person who typed it."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def _check_symbol(payload: str) -> str:
    total = sum(weight * _VALUE[s] for weight, s in enumerate(payload, start=1))
    check_weight = len(payload) + 1
    return ALPHABET[(-total * pow(check_weight, -1, _MODULUS)) % _MODULUS]


def generate() -> ConnectId:
    """A new random ConnectID (uniqueness is the caller's to ensure)."""
    payload = "".join(secrets.choice(ALPHABET) for _ in range(PAYLOAD_LENGTH))
    return ConnectId(payload + _check_symbol(payload))


def parse(raw: str) -> ConnectId:
    """Normalise and validate user input; raise InvalidConnectId saying what is wrong."""
    text = raw.strip().upper().translate(_SEPARATORS)
    if not text:
        raise InvalidConnectId("empty", "The ConnectID is empty.")
    for symbol in text:
        if symbol in _NEVER_USED:
            raise InvalidConnectId(
                "unused_character",
                f"ConnectIDs never contain '{symbol}' (the letters O, I, L and the digits 0, 1 "
                "are left out because they look alike); please check the ConnectID.",
            )
        if symbol not in _VALUE:
            raise InvalidConnectId(
                "invalid_character",
                f"'{symbol}' is not a character of ConnectIDs (letters and digits only).",
            )
    if len(text) != LENGTH:
        raise InvalidConnectId(
            "wrong_length", f"A ConnectID has {LENGTH} characters; this one has {len(text)}."
        )
    if _check_symbol(text[:-1]) != text[-1]:
        raise InvalidConnectId(
            "check_failed",
            "This is not a valid ConnectID: a character is probably mistyped or two are swapped.",
        )
    return ConnectId(text)


def display(connect_id: ConnectId) -> str:
    """`K7QM2X9HB` -> `K7Q-M2X-9HB`."""
    return f"{connect_id[:3]}-{connect_id[3:6]}-{connect_id[6:]}"
