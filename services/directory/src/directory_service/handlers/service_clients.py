"""A platform backend signs in with its client id and secret (`SERVICE_CLIENTS`) for an access
token with role `service`. Attempts are paid from the caller's address, as sign-in codes are,
before the secret is compared: guessing secrets costs what guessing codes costs."""

from __future__ import annotations

import hmac
from collections.abc import Mapping

from contacts_servicekit.domain_errors import NotAuthenticated

from directory_service.handlers.codes import spend
from directory_service.handlers.sign_in import SignInLimits
from directory_service.handlers.user_ports import IdentityWork


async def service_token(
    work: IdentityWork, limits: SignInLimits, clients: Mapping[str, str], address: str,
    client_id: str | None, secret: str,
) -> str:  # fmt: skip
    """The token of a known client whose secret matches; 401 `invalid_client` otherwise, the
    attempt spent either way (429 past the address's limit)."""
    limit = limits.attempts_per_address
    await spend(work.limits, limit, f"address:{address}", "sign-in attempts")
    return await work.tokens.service_token(_known_client(clients, client_id, secret))


def _known_client(clients: Mapping[str, str], client_id: str | None, secret: str) -> str:
    expected = clients.get(client_id) if client_id is not None else None
    # compared even for an unknown client, so the time taken does not tell which ids exist
    matched = hmac.compare_digest((expected or "").encode(), secret.encode())
    if client_id is None or expected is None or not matched:
        raise NotAuthenticated(
            "invalid_client", "Unknown client id or wrong secret.", "Authorization"
        )
    return client_id
