"""The state of the in-memory users work (tests/fake_users_work.py), in one object so a
failed transaction can put it back as it was, and the fake code sender."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from uuid import UUID

from directory_service.domain.code_messages import CodeMessage
from directory_service.domain.model import User
from directory_service.domain.one_time_codes import Purpose

NOW = datetime(2030, 1, 1, tzinfo=UTC)
CodeKey = tuple[Purpose, str, UUID | None]


@dataclass
class StoredCode:
    code_hmac: bytes
    attempts_left: int


@dataclass
class Session:
    user_id: UUID
    expires_at: datetime
    revoked: str | None = None  # the reason


@dataclass
class RefreshToken:
    session_id: UUID
    used: bool = False


@dataclass
class State:
    people: dict[UUID, User] = field(default_factory=dict)  # without their membership
    companies: dict[UUID, str] = field(default_factory=dict)
    roles: dict[UUID, tuple[UUID, str]] = field(default_factory=dict)  # user -> company, role
    codes: dict[CodeKey, StoredCode] = field(default_factory=dict)
    sessions: dict[UUID, Session] = field(default_factory=dict)
    refresh_tokens: dict[bytes, RefreshToken] = field(default_factory=dict)
    closed: dict[UUID, str] = field(default_factory=dict)  # user -> reason
    erased: set[UUID] = field(default_factory=set)


class SentCodes:
    """A CodeSender keeping what it sent."""

    def __init__(self) -> None:
        self.sent: list[CodeMessage] = []

    async def send(self, message: CodeMessage) -> None:
        self.sent.append(message)

    def last_code(self) -> str:
        found = re.search(r"\b\d{6}\b", self.sent[-1].text)
        assert found is not None, self.sent[-1].text
        return found.group()
