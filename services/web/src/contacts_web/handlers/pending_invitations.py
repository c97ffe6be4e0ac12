"""One of the user's pending invitations, found in their list (the invitations API reads a
list, not one invitation): what a confirmation step shows before deleting it."""

from __future__ import annotations

from uuid import UUID

from contacts_client import AsyncContactsPlatform, Invitation, NotFound

PAGE = 200  # the API's largest page: most users' pending invitations in one call


async def pending_invitation(platform: AsyncContactsPlatform, invitation_id: UUID) -> Invitation:
    """The invitation while it is pending; else the API's own refusal for it (404
    `invitation_not_found`: accepted, expired, deleted, or another user's)."""
    async for invitation in platform.invitations.iter_invitations(limit=PAGE):
        if invitation.invitation_id == invitation_id:
            return invitation
    problem = {"error": "invitation_not_found", "detail": "No pending invitation with this id."}
    raise NotFound(404, problem)
