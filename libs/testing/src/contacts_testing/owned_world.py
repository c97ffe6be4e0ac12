"""One user's data in every service (a profile, a company with a contact point, a contact, an
import, an invitation), made through the services' own APIs and events, for tests that check
another user can neither reach nor change it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from contacts_events import UserRegistered

from contacts_testing.auth import add_body, bearer
from contacts_testing.consumers import wait_until
from contacts_testing.running_service import RunningService

STAFF = bearer("platform-backend", "service")


def new_mobile() -> str:
    """A fresh valid UK mobile number: one of 90 million (+44 7410 000000 to +44 7499 999999),
    none of the fixed +44 7400 numbers the tests type. Drawn from a million (+44 7400 ...), two
    registrations met once (phone_taken) in a rerun of the erasure test on the tests' state."""
    n = uuid.uuid4().int
    return f"+4474{10 + n % 90:02d}{n // 90 % 1_000_000:06d}"


@dataclass
class OwnedWorld:
    """What `owner` has, by id; `secrets` are strings no one else may ever be shown."""

    owner: uuid.UUID
    phone: str
    email: str
    connect_id: str
    company_id: str = ""
    contact_point_id: str = ""
    contact_id: str = ""
    import_id: str = ""
    invitation_id: str = ""
    invitee_phone: str = ""
    offer_id: str = ""  # the owner's company asked their friend to join
    offered_user_id: str = ""
    extra_secrets: list[str] = field(default_factory=list)

    @property
    def secrets(self) -> list[str]:
        return [str(self.owner), self.phone, self.email, self.company_id, self.contact_point_id,
                self.contact_id, self.import_id, self.invitation_id, self.offer_id,
                *self.extra_secrets]  # fmt: skip

    @property
    def ids(self) -> dict[str, str]:
        """What a path template's placeholders are filled with."""
        return {
            "user_id": str(self.owner), "connect_id": self.connect_id,
            "company_id": self.company_id, "tenant_id": self.company_id,
            "contact_point_id": self.contact_point_id,
            "contact_id": self.contact_id, "import_id": self.import_id,
            "invitation_id": self.invitation_id, "offer_id": self.offer_id,
        }  # fmt: skip

    @property
    def placeholders(self) -> dict[str, str]:
        """What the security probes' paths and bodies are filled with: the ids and phones."""
        return {**self.ids, "invitee_phone": self.invitee_phone, "owner_phone": self.phone}


async def _completed(importer: RunningService, import_id: str, me: dict[str, str]) -> bool:
    answer = await importer.http.get(f"/v1/imports/{import_id}", headers=me)
    return answer.status_code == 200 and answer.json()["status"] == "completed"


async def register_user(directory: RunningService, name: str) -> dict[str, str]:
    """A user registered through the directory's API (as the platform back-end does)."""
    body = {
        "display_name": name,
        "phone": new_mobile(),
        "email": f"{uuid.uuid4().hex[:12]}@example.com",
    }
    response = await directory.http.post("/v1/users", json=body, headers=STAFF)
    assert response.status_code == 201, response.text
    user: dict[str, str] = response.json()
    return user


async def known_to_contacts(contacts: RunningService, user: dict[str, str]) -> None:
    """The contacts service's projection learns of `user` (the directory's event, published)."""
    event = UserRegistered(
        user_id=uuid.UUID(user["user_id"]), connect_id=user["connect_id"].replace("-", ""),
        display_name=user["display_name"], phone_e164=user["phone"],
    )  # fmt: skip
    await contacts.events.publish(event)
    query = "SELECT true FROM directory_users WHERE user_id = $1"
    await contacts.until(lambda: contacts.pool.fetchval(query, event.user_id))


async def build_world(services: dict[str, RunningService], name: str) -> OwnedWorld:
    """`name` registers, runs a company, asks a friend to join it, adds the friend as a contact,
    imports and invites."""
    directory, contacts = services["directory"], services["contacts"]
    importer, invitations = services["importer"], services["invitations"]
    user = await register_user(directory, name)
    world = OwnedWorld(uuid.UUID(user["user_id"]), user["phone"], user["email"], user["connect_id"])
    me = bearer(world.owner)

    company = await directory.http.post(
        "/v1/companies", json={"name": f"{name} Ltd"}, headers=STAFF
    )
    world.company_id = company.json()["company_id"]
    joined = await directory.http.post(f"/v1/companies/{world.company_id}/members",
                                       json={"user_id": user["user_id"], "role": "admin"}, headers=STAFF)  # fmt: skip
    assert joined.status_code == 204, joined.text
    point = await directory.http.post(f"/v1/companies/{world.company_id}/contact-points",
                                      json={"display_name": f"{name} reception"}, headers=me)  # fmt: skip
    world.contact_point_id = point.json()["contact_point_id"]

    friend = await register_user(directory, f"{name}'s friend")
    offered = await directory.http.post(f"/v1/companies/{world.company_id}/members",
                                        json={"user_id": friend["user_id"]}, headers=me)  # fmt: skip
    assert offered.status_code == 202, offered.text
    world.offer_id, world.offered_user_id = offered.json()["offer_id"], friend["user_id"]
    await known_to_contacts(contacts, user)
    await known_to_contacts(contacts, friend)
    added = await contacts.http.post(
        "/v1/contacts", json=add_body(world.owner, friend["connect_id"]), headers=me
    )
    assert added.status_code == 201, added.text
    world.contact_id = added.json()["contact_id"]

    pasted = await importer.http.post("/v1/imports/pasted",
                                      json={"text": f"{new_mobile()}, 06 12 34 56 78", "default_region": "FR"}, headers=me)  # fmt: skip
    assert pasted.status_code == 201, pasted.text
    world.import_id = pasted.json()["import_id"]
    # validated in the background: the probes of its results and invitations need it done
    # (one failed in a busy run, its import not completed yet)
    await wait_until(lambda: _completed(importer, world.import_id, me), seconds=60)

    world.invitee_phone = new_mobile()
    invited = await invitations.http.post(
        "/v1/invitations", json={"phone": world.invitee_phone}, headers=me
    )
    assert invited.status_code == 201, invited.text
    world.invitation_id = invited.json()["invitation_id"]
    return world
