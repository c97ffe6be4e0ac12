"""The refusal of a closed account's requests: 401, the credential no longer stands for an
open account (the platform's error shape, with an RFC 6750 challenge like every other 401)."""

from __future__ import annotations

from contacts_servicekit.auth import Unauthorized
from contacts_servicekit.principal import Principal

from contacts_messaging.accounts.closed_set import ClosedAccounts

ACCOUNT_CLOSED = "account_closed"


class AccountClosed(Unauthorized):
    def __init__(self) -> None:
        super().__init__(
            ACCOUNT_CLOSED, "This account was closed: its credentials are no longer accepted."
        )


def refuse_closed(closed: ClosedAccounts, principal: Principal) -> None:
    """Raise AccountClosed when the principal's account is known to be closed."""
    if closed.is_closed(principal.user_id):
        raise AccountClosed
