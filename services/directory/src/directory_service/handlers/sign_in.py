"""Sign-up and sign-in with a code sent by SMS: the directory's front door.

Asking for a code answers the same whether or not the number belongs to a user (the code goes
out either way), so the front door tells nobody who is registered. Only a person who typed the
code learns it, and then signs in, or signs up with a display name.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import partial

from contacts_servicekit.domain_errors import Refused

from directory_service.domain.code_messages import sign_in_sms
from directory_service.domain.credentials import Tokens
from directory_service.domain.model import User
from directory_service.domain.one_time_codes import Purpose, code_not_valid
from directory_service.domain.rate_limits import Limit
from directory_service.handlers import sessions
from directory_service.handlers.codes import Codes, spend
from directory_service.handlers.user_ports import IdentityWork
from directory_service.handlers.users import Registration, register


@dataclass(frozen=True)
class SignInLimits:
    codes_per_number: Limit
    codes_per_address: Limit
    attempts_per_address: Limit


@dataclass(frozen=True)
class NewUser:
    """What sign-up adds to the proof of the number: a name, and the invitation followed."""

    display_name: str
    invitation_token: str | None = None


@dataclass(frozen=True)
class SignedIn:
    user: User
    tokens: Tokens
    signed_up: bool


async def request_code(
    work: IdentityWork, codes_: Codes, limits: SignInLimits, phone: str, address: str
) -> None:
    """Send a sign-in code to ``phone`` (E.164), whoever holds the number."""
    await spend(
        work.limits, limits.codes_per_address, f"address:{address}", "codes from this address"
    )
    await spend(
        work.limits, limits.codes_per_number, f"phone:{phone}", "codes for this number", "phone"
    )
    await codes_.send(work.codes, Purpose.SIGN_IN, phone, None, partial(sign_in_sms, phone))


async def sign_in(
    work: IdentityWork, codes_: Codes, limits: SignInLimits, phone: str, code: str,
    address: str, new_user: NewUser | None,
) -> SignedIn:  # fmt: skip
    """Exchange the number and its code for tokens; a number no user has signs up, with
    ``new_user``'s name (422 ``display_name_required`` without one: the code stays usable).
    The limit and the code's attempt are spent before the transaction, so they stand."""
    attempts, subject = limits.attempts_per_address, f"address:{address}"
    await spend(work.limits, attempts, subject, "sign-in attempts")
    proof = await codes_.check(work.codes, Purpose.SIGN_IN, phone, None, code)
    new_user_id = uuid.uuid4()  # the actor of the sign-up's events, if it is one
    async with work.transaction(actor=new_user_id):
        if not await work.codes.consume(Purpose.SIGN_IN, phone, None, proof):
            raise code_not_valid()  # another request used it first
        user = await work.users.active_by_phone(phone)
        signed_up = user is None
        if user is None:
            user = await _sign_up(work, new_user_id, phone, new_user)
        tokens = await sessions.open_session(work, user)
    return SignedIn(user, tokens, signed_up)


async def _sign_up(
    work: IdentityWork, user_id: uuid.UUID, phone: str, new_user: NewUser | None
) -> User:
    if new_user is None:
        raise Refused(
            "display_name_required",
            "No account has this number yet: give a display name to create one.",
            "display_name",
        )
    registration = Registration(
        new_user.display_name, phone, invitation_token=new_user.invitation_token
    )
    return await register(work, registration, user_id=user_id)
