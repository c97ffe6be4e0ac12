"""A reason: a snake_case code for programs and one sentence for people."""

from __future__ import annotations

from typing import NamedTuple


class Reason(NamedTuple):
    code: str
    sentence: str


class Refused(ValueError):
    """This destination cannot receive the message; `reason` says why."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(reason.sentence)
        self.reason = reason

    @property
    def code(self) -> str:
        return self.reason.code

    @property
    def sentence(self) -> str:
        return self.reason.sentence
