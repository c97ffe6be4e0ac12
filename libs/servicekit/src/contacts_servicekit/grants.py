"""Grants: short-lived tokens the directory signs so that a caller may do one thing elsewhere.

Adding a contact by ConnectID needs an *add-contact grant*: the directory's look-up answer
(which spends the caller's look-up budget) carries one for the ConnectID it found, and the
contacts service adds only with it. So an add costs a look-up, whichever service a client
calls, and the contacts service, which answers only with a grant, tells nobody whether a
ConnectID it was not granted exists.

A grant is a JWT like an access token (same issuer, same keys) whose audience is the access
tokens' audience plus ``/<action>``: it can never pass for an access token, nor an access token
for a grant. Its subject is the caller it was issued to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ADD_CONTACT = "add-contact"
GRANT_SECONDS = 600  # time enough to read a profile and press Add


def grant_audience(audience: str, action: str) -> str:
    """The audience of grants for ``action``, from the platform's token audience."""
    return f"{audience}/{action}"


def add_contact_claims(connect_id: str) -> dict[str, Any]:
    """The claims an add-contact grant adds to the standard ones: the ConnectID granted."""
    return {"cid": connect_id}


@dataclass(frozen=True)
class AddContactGrant:
    caller: str  # the user the grant was issued to (its subject)
    connect_id: str  # canonical form, as the directory found it

    @classmethod
    def of(cls, claims: dict[str, Any]) -> AddContactGrant | None:
        """The grant in verified ``claims``, or None when they are not one."""
        caller, connect_id = claims.get("sub"), claims.get("cid")
        if isinstance(caller, str) and isinstance(connect_id, str):
            return cls(caller, connect_id)
        return None
