"""The words of a contact's profile: how it was added, and why the company manages it.

Catalogue message ids (English); templates translate them where they are shown. An `added_via`
a newer contacts service adds is left unsaid (the day it was added still shows); a new
`managed_by` gets the general words."""

from __future__ import annotations

from contacts_web.domain.statuses import N_

ADDED_VIA = {
    "connect_id": N_("With their ConnectID"),
    "phone_import": N_("From phone numbers"),
    "list_import": N_("From a list"),
    "invitation": N_("When they accepted your invitation"),
}

MANAGED_BY = {
    "colleague": N_("Managed by your company: a colleague"),
    "company_contact_point": N_("Managed by your company: one of its contacts"),
}
MANAGED_SOMEHOW = N_("Managed by your company")


def added_via(how: str | None) -> str | None:
    return ADDED_VIA.get(how or "")


def managed_by(why: str | None) -> str:
    return MANAGED_BY.get(why or "", MANAGED_SOMEHOW)
