"""The in-memory sessions, one-time codes, rate-limit buckets and token signing of
tests/fake_users_work.py. They check where the use cases call them: a code's attempt and a
rate-limit token outside the transaction (their cost stands), a code consumed and a refresh
token read inside it."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from directory_service.domain.credentials import PresentedToken
from directory_service.domain.model import User
from directory_service.domain.one_time_codes import Attempt, Purpose
from directory_service.domain.rate_limits import Decision, Limit

from .fake_users_state import RefreshToken, Session, State, StoredCode


class FakeIdentityStores:
    state: State
    in_transaction: bool
    buckets: dict[tuple[str, str], int]  # (action, subject) -> tokens taken

    def outside_transaction(self, what: str) -> None:
        assert not self.in_transaction, f"{what} must commit on its own, before the transaction"

    # Sessions

    async def open_session(self, session_id: UUID, user_id: UUID, expires_at: datetime) -> None:
        self.state.sessions[session_id] = Session(user_id, expires_at)

    async def add_refresh_token(
        self, token_hash: bytes, session_id: UUID, expires_at: datetime
    ) -> None:
        self.state.refresh_tokens[token_hash] = RefreshToken(session_id)

    async def presented(self, token_hash: bytes) -> PresentedToken | None:
        assert self.in_transaction, "a refresh token is read locked, in the transaction"
        token = self.state.refresh_tokens.get(token_hash)
        if token is None:
            return None
        session = self.state.sessions[token.session_id]
        return PresentedToken(
            token.session_id, session.user_id, token.used, False, session.revoked is not None,
            session.expires_at,
        )  # fmt: skip

    async def mark_used(self, token_hash: bytes) -> None:
        self.state.refresh_tokens[token_hash].used = True

    async def revoke_session(self, session_id: UUID, reason: str) -> None:
        session = self.state.sessions[session_id]
        session.revoked = session.revoked or reason

    async def revoke_all(self, user_id: UUID, reason: str) -> int:
        open_ = [s for s in self.state.sessions.values() if s.user_id == user_id and not s.revoked]
        for session in open_:
            session.revoked = reason
        return len(open_)

    def revocations(self) -> list[str | None]:
        return [session.revoked for session in self.state.sessions.values()]

    # CodeStore

    async def replace(
        self, purpose: Purpose, destination: str, user_id: UUID | None, code_hmac: bytes,
        attempts: int, expires_at: datetime,
    ) -> None:  # fmt: skip
        self.outside_transaction("storing a code before it is sent")
        self.state.codes[(purpose, destination, user_id)] = StoredCode(code_hmac, attempts)

    async def take_attempt(
        self, purpose: Purpose, destination: str, user_id: UUID | None
    ) -> Attempt | None:
        self.outside_transaction("a code's attempt")
        code = self.state.codes.get((purpose, destination, user_id))
        if code is None or code.attempts_left <= 0:
            return None
        code.attempts_left -= 1
        return Attempt(code.code_hmac, code.attempts_left)

    async def consume(
        self, purpose: Purpose, destination: str, user_id: UUID | None, code_hmac: bytes
    ) -> bool:
        assert self.in_transaction, "a code is used up with what it proves"
        key = (purpose, destination, user_id)
        code = self.state.codes.get(key)
        if code is None or code.code_hmac != code_hmac:
            return False
        del self.state.codes[key]
        return True

    # RateLimits: `burst` tokens, none regained

    async def take(self, limit: Limit, subject: str) -> Decision:
        self.outside_transaction("a rate-limit token")
        taken = self.buckets.get((limit.action, subject), 0)
        self.buckets[(limit.action, subject)] = taken + 1
        return Decision(True, 0) if taken < limit.burst else Decision(False, 42)

    # AccessTokens

    async def access_token(self, user: User, session_id: UUID) -> str:
        return f"access {user.user_id} {session_id} {user.company_id}"

    async def service_token(self, client_id: str) -> str:
        return f"service {client_id}"
