"""The grant that lets a caller add a ConnectID: issued by the directory's look-up.

Without one, adding by ConnectID answers the same whatever the ConnectID (422 on `add_token`),
so this service is no oracle of who exists: finding out costs a look-up at the directory,
within the caller's look-up budget (contacts_servicekit.grants).
"""

from __future__ import annotations

from contacts_events.connect_id import ConnectId
from contacts_servicekit.auth import InvalidToken, TokenVerifier
from contacts_servicekit.domain_errors import Refused
from contacts_servicekit.grants import ADD_CONTACT, AddContactGrant, grant_audience
from contacts_servicekit.settings import AuthSettings
from fastapi import Request

LOOK_UP_FIRST = (
    "Look the ConnectID up first (GET /v1/connect-ids/{connect_id} at the directory): "
    "its answer carries the add_token that adding needs."
)


def grant_verifier(settings: AuthSettings) -> TokenVerifier:
    audience = grant_audience(settings.jwt_audience, ADD_CONTACT)
    return TokenVerifier.from_settings(settings, audience=audience)


async def check_grant(
    request: Request, add_token: str | None, caller: str, connect_id: ConnectId
) -> None:
    """Refuse (422 on `add_token`) unless the token grants ``caller`` to add ``connect_id``."""
    if not add_token:
        raise Refused("lookup_required", LOOK_UP_FIRST, "add_token")
    verifier: TokenVerifier = request.app.state.add_grants
    try:
        grant = AddContactGrant.of(await verifier.verified_claims(add_token))
    except InvalidToken as error:
        raise Refused(
            "add_token_invalid", f"The add_token is not valid ({error.reason}). {LOOK_UP_FIRST}",
            "add_token",
        ) from None  # fmt: skip
    if grant is None or grant.caller != caller or grant.connect_id != connect_id:
        raise Refused(
            "add_token_invalid",
            f"This add_token was given for another ConnectID or user. {LOOK_UP_FIRST}",
            "add_token",
        )
