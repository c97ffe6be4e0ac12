"""Sending a one-time code and checking the one a person typed (every purpose alike), and the
rate limits in front of them. The codes' SQL stays in an adapter behind `CodeStore`
(handlers/user_ports.py): a code's attempt is taken in one statement, so parallel guesses
cannot share one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from contacts_servicekit.domain_errors import LimitReached

from directory_service.adapters.code_sender import CodeSender
from directory_service.domain.code_messages import CodeMessage
from directory_service.domain.one_time_codes import (
    CodeRules,
    Purpose,
    code_hmac,
    code_not_valid,
    matches,
    new_code,
)
from directory_service.domain.rate_limits import Limit
from directory_service.handlers.user_ports import CodeStore, RateLimits

MessageFor = Callable[[str, timedelta], CodeMessage]  # (code, lifetime) -> the message


@dataclass(frozen=True)
class Codes:
    secret: bytes
    rules: CodeRules
    sender: CodeSender

    async def send(
        self, store: CodeStore, purpose: Purpose, destination: str, user_id: UUID | None,
        message_for: MessageFor,
    ) -> None:  # fmt: skip
        """Make a new code (the previous one for the same destination stops working), store its
        HMAC and send it. Outside a transaction: the code is stored before it is sent."""
        code = new_code()
        stored = code_hmac(self.secret, purpose, destination, code)
        expires_at = datetime.now(UTC) + self.rules.lifetime
        await store.replace(purpose, destination, user_id, stored, self.rules.attempts, expires_at)
        await self.sender.send(message_for(code, self.rules.lifetime))

    async def check(
        self, store: CodeStore, purpose: Purpose, destination: str, user_id: UUID | None,
        typed: str,
    ) -> bytes:  # fmt: skip
        """Spend an attempt on the live code and compare; the stored HMAC when it matched (for
        `CodeStore.consume` in the transaction that uses the proof), else ``code_not_valid()``.
        Run outside a transaction: a wrong guess keeps its cost."""
        attempt = await store.take_attempt(purpose, destination, user_id)
        if attempt is None or not matches(
            self.secret, purpose, destination, typed, attempt.code_hmac
        ):
            raise code_not_valid()
        return attempt.code_hmac


async def spend(
    limits: RateLimits, limit: Limit, subject: str, what: str, field: str | None = None
) -> None:
    """Take a token of ``limit`` for ``subject`` or refuse with 429 saying when to retry."""
    decision = await limits.take(limit, subject)
    if not decision.allowed:
        wait = decision.retry_after_seconds
        message = f"Too many {what}; try again in {wait} s."
        raise LimitReached("rate_limited", message, wait, field, limit.policy)
