"""A new phone number or email becomes the user's only when they prove it with a code sent to
it: changing either starts a verification, and the change happens when the code is confirmed.

Whether the new number already belongs to someone is said only after the proof (409
``phone_taken``), so starting a verification cannot probe who is registered.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from contacts_events import ProfileField

from directory_service.domain.code_messages import new_email_message, new_phone_sms
from directory_service.domain.model import User
from directory_service.domain.one_time_codes import Purpose, code_not_valid
from directory_service.domain.rate_limits import Limit
from directory_service.handlers import users
from directory_service.handlers.codes import Codes, MessageFor, spend
from directory_service.handlers.user_ports import IdentityWork

_FIELDS = {Purpose.VERIFY_PHONE: ProfileField.PHONE_E164, Purpose.VERIFY_EMAIL: ProfileField.EMAIL}


@dataclass(frozen=True)
class NewDestination:
    """A phone number (E.164) or an email address the user wants as theirs."""

    purpose: Purpose
    value: str

    @property
    def field(self) -> str:
        return "phone" if self.purpose is Purpose.VERIFY_PHONE else "email"

    def message_for(self) -> MessageFor:
        if self.purpose is Purpose.VERIFY_PHONE:
            return lambda code, lifetime: new_phone_sms(self.value, code, lifetime)
        return lambda code, lifetime: new_email_message(self.value, code, lifetime)


async def start(
    work: IdentityWork, codes_: Codes, per_user: Limit, per_destination: Limit, user_id: UUID,
    new: NewDestination,
) -> None:  # fmt: skip
    """Send a code to the new destination (the profile is unchanged until it is confirmed)."""
    await users.read(work, user_id)  # 404 for a closed account
    await spend(work.limits, per_user, f"user:{user_id}", "verification codes")
    await spend(work.limits, per_destination, f"{new.field}:{new.value}", "codes to it", new.field)
    await codes_.send(work.codes, new.purpose, new.value, user_id, new.message_for())


async def confirm(
    work: IdentityWork, codes_: Codes, user_id: UUID, new: NewDestination, code: str,
) -> User:  # fmt: skip
    """Apply the change the code proves (``UserProfileChanged``); 409 if another user holds it."""
    proof = await codes_.check(work.codes, new.purpose, new.value, user_id, code)
    async with work.transaction():
        if not await work.codes.consume(new.purpose, new.value, user_id, proof):
            raise code_not_valid()
        changes: dict[ProfileField, str | None] = {_FIELDS[new.purpose]: new.value}
        return await users.change_profile(work, user_id, changes)
