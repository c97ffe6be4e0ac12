"""Everything of one user's that a bad request must leave as it was, read through the APIs."""

from __future__ import annotations

from typing import Any

from contacts_testing.auth import bearer
from contacts_testing.owned_world import OwnedWorld
from contacts_testing.running_service import RunningService


async def snapshot(services: dict[str, RunningService], owner: OwnedWorld) -> dict[str, Any]:
    me = bearer(owner.owner)
    directory, contacts = services["directory"].http, services["contacts"].http
    importer, invitations = services["importer"].http, services["invitations"].http
    imports = (await importer.get("/v1/imports", params={"limit": 100}, headers=me)).json()["items"]
    rows = (await importer.get(f"/v1/imports/{owner.import_id}/rows", headers=me)).json()
    pending = (await invitations.get("/v1/invitations", headers=me)).json()["items"]
    return {
        "profile": (await directory.get("/v1/users/me", headers=me)).json(),
        "contact points": (await directory.get(
            f"/v1/companies/{owner.company_id}/contact-points", headers=me)).json()["items"],
        "contacts": (await contacts.get("/v1/contacts", headers=me)).json(),
        "imports": sorted((j["import_id"], j["status"], str(j["counts"])) for j in imports),
        "rows": rows["items"],
        "invitations": [(i["invitation_id"], i["destination"]) for i in pending],
        "ready": {name: (await s.http.get("/ready")).status_code for name, s in services.items()},
    }  # fmt: skip
