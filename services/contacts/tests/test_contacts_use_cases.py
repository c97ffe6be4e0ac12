"""The contacts use cases alone, on an in-memory unit of work: no Postgres, no Kafka. The
same use cases on Postgres are proven by the service's integration tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from uuid import UUID

import pytest
from contacts_events import ContactSource
from contacts_events.connect_id import generate
from contacts_messaging.accounts.guard import AccountClosed
from contacts_service.domain.model import Contact, Cursor, Kind, ListName, ManagedBy
from contacts_service.domain.names import sort_name
from contacts_service.handlers import contacts
from contacts_service.handlers.ports import KnownUser
from contacts_servicekit.domain_errors import Conflicting, DomainError, Missing, Refused
from contacts_testing.unit_of_work import FakeUnitOfWork

pytestmark = pytest.mark.unit
ADDED_AT = datetime(2030, 1, 1, tzinfo=UTC)


class FakeContactsWork(FakeUnitOfWork):
    """handlers/ports.py in memory: the directory's users, the owner's personal contacts
    (archived or not), the contacts their company manages, and closed accounts."""

    def __init__(self) -> None:
        super().__init__()
        self.users: dict[str, KnownUser] = {}  # by ConnectID
        self.contact_points: set[str] = set()
        self.closed: set[UUID] = set()
        self.personal: dict[tuple[UUID, UUID], bool] = {}  # (owner, contact) -> archived
        self.managed: dict[tuple[UUID, UUID], Contact] = {}
        self.locked: list[tuple[UUID, UUID]] = []
        self.contacts = self.directory = self.views = self.accounts = self

    def user(self, name: str) -> KnownUser:
        known = KnownUser(uuid.uuid4(), name)
        self.users[generate()] = known
        return known

    def connect_id_of(self, user: KnownUser) -> str:
        return next(c for c, u in self.users.items() if u == user)

    # PersonalContacts
    async def insert(self, owner_id: UUID, contact_user_id: UUID, source: str) -> Contact | None:
        if (owner_id, contact_user_id) in self.personal:
            return None
        self.personal[owner_id, contact_user_id] = False
        return self._personal(owner_id, contact_user_id)

    async def lock(self, owner_id: UUID, contact_user_id: UUID) -> Contact | None:
        self.locked.append((owner_id, contact_user_id))
        return self._personal(owner_id, contact_user_id)

    async def set_archived(self, owner_id: UUID, contact_user_id: UUID, archived: bool) -> None:
        assert (owner_id, contact_user_id) in self.locked, "changed without its lock"
        self.personal[owner_id, contact_user_id] = archived

    # ContactViews
    async def one(self, owner_id: UUID, contact_id: UUID) -> Contact | None:
        return self._personal(owner_id, contact_id) or self.managed.get((owner_id, contact_id))

    def _personal(self, owner_id: UUID, contact_id: UUID) -> Contact | None:
        if (owner_id, contact_id) not in self.personal:
            return None
        name = next(u.display_name for u in self.users.values() if u.user_id == contact_id)
        return Contact(
            contact_id, Kind.USER, None, name, None, None, ContactSource.CONNECT_ID,
            ADDED_AT, self.personal[owner_id, contact_id], sort_name(name),
        )  # fmt: skip

    async def page_and_total(
        self, owner_id: UUID, which: ListName, name_range: tuple[str, str] | None,
        after: Cursor | None, limit: int,
    ) -> tuple[list[Contact], int]:  # fmt: skip
        listed = [c for c in [await self.one(o, i) for o, i in self.personal if o == owner_id]
                  if c is not None and c.archived == (which is ListName.ARCHIVED)]  # fmt: skip
        listed.sort(key=lambda c: (c.sort_name, c.contact_id))
        start = (after.sort_name, after.contact_id) if after else ("", UUID(int=0))
        return [c for c in listed if (c.sort_name, c.contact_id) > start][:limit], len(listed)

    # DirectoryCopy
    async def user_by_connect_id(self, connect_id: str) -> KnownUser | None:
        return self.users.get(connect_id)

    async def is_contact_point(self, connect_id: str) -> bool:
        return connect_id in self.contact_points

    # Accounts
    async def hold_open(self, user_ids: Iterable[UUID]) -> set[UUID]:
        return set(user_ids) & self.closed


@pytest.fixture
def work() -> FakeContactsWork:
    return FakeContactsWork()


async def test_adding_by_connect_id_adds_once_and_announces_it(work: FakeContactsWork) -> None:
    owner, grace = work.user("Ada"), work.user("Grace")
    added = await contacts.add_by_connect_id(work, owner.user_id, work.connect_id_of(grace))
    assert (added.contact_id, added.display_name, added.archived) == (grace.user_id, "Grace", False)
    assert work.event_names() == ["ContactAdded"]
    with pytest.raises(Conflicting) as again:
        await contacts.add_by_connect_id(work, owner.user_id, work.connect_id_of(grace))
    assert (again.value.code, again.value.field) == ("already_contact", "connect_id")
    assert "Grace is already in your contacts." in again.value.message
    assert work.event_names() == ["ContactAdded"]  # nothing more announced


@pytest.mark.parametrize(
    ("case", "error", "code"),
    [
        ("unknown", Missing, "connect_id_not_found"),
        ("contact point", Conflicting, "contact_point"),
        ("yourself", Conflicting, "self"),
        ("closed contact", Missing, "connect_id_not_found"),
    ],
)
async def test_adding_by_connect_id_refuses_naming_the_field(
    work: FakeContactsWork, case: str, error: type[DomainError], code: str
) -> None:
    owner, other = work.user("Ada"), work.user("Grace")
    wanted = generate()
    if case == "contact point":
        work.contact_points.add(wanted)
    elif case == "yourself":
        wanted = work.connect_id_of(owner)
    elif case == "closed contact":
        wanted = work.connect_id_of(other)
        work.closed.add(other.user_id)
    with pytest.raises(error) as refused:
        await contacts.add_by_connect_id(work, owner.user_id, wanted)
    assert (refused.value.code, refused.value.field) == (code, "connect_id")
    assert work.events == [] and work.personal == {}


async def test_a_closed_owner_adds_nothing(work: FakeContactsWork) -> None:
    owner, grace = work.user("Ada"), work.user("Grace")
    work.closed.add(owner.user_id)
    with pytest.raises(AccountClosed):
        await contacts.add_by_connect_id(work, owner.user_id, work.connect_id_of(grace))
    assert work.events == [] and work.personal == {}


async def test_archiving_locks_announces_once_and_unarchiving_brings_it_back(
    work: FakeContactsWork,
) -> None:
    owner, grace = work.user("Ada"), work.user("Grace")
    await contacts.add_by_connect_id(work, owner.user_id, work.connect_id_of(grace))
    assert (await contacts.set_archived(work, owner.user_id, grace.user_id, True)).archived
    assert (await contacts.set_archived(work, owner.user_id, grace.user_id, True)).archived
    back = await contacts.set_archived(work, owner.user_id, grace.user_id, False)
    assert not back.archived
    assert work.event_names() == ["ContactAdded", "ContactArchived", "ContactUnarchived"]


async def test_a_contact_the_company_manages_cannot_be_archived(work: FakeContactsWork) -> None:
    owner, colleague = uuid.uuid4(), uuid.uuid4()
    work.managed[owner, colleague] = Contact(
        colleague, Kind.USER, None, "Col", "Globex", ManagedBy.COLLEAGUE, None, None, False, "col"
    )
    with pytest.raises(Conflicting) as refused:
        await contacts.set_archived(work, owner, colleague, True)
    assert refused.value.code == "managed_by_company"
    assert "(a colleague)" in refused.value.message
    assert (await contacts.set_archived(work, owner, colleague, False)).managed_by
    assert work.events == []


async def test_anything_else_is_not_the_owners_contact(work: FakeContactsWork) -> None:
    with pytest.raises(Missing) as missing:
        await contacts.detail(work, uuid.uuid4(), uuid.uuid4())
    assert missing.value.code == "contact_not_found"
    with pytest.raises(Missing):
        await contacts.set_archived(work, uuid.uuid4(), uuid.uuid4(), True)
    assert work.events == []


async def test_a_list_is_paged_with_a_cursor_to_its_end(work: FakeContactsWork) -> None:
    owner = work.user("Owner")
    for name in ("Cy", "Ann", "Bo"):
        await contacts.add_by_connect_id(work, owner.user_id, work.connect_id_of(work.user(name)))
    first = await contacts.list_contacts(work, owner.user_id, ListName.ACTIVE, None, None, 2)
    assert ([c.display_name for c in first.items], first.total) == (["Ann", "Bo"], 3)
    assert first.next_cursor is not None
    rest = await contacts.list_contacts(
        work, owner.user_id, ListName.ACTIVE, None, first.next_cursor, 2
    )
    assert ([c.display_name for c in rest.items], rest.next_cursor) == (["Cy"], None)
    with pytest.raises(Refused) as bad:
        await contacts.list_contacts(work, owner.user_id, ListName.ACTIVE, None, "nonsense", 2)
    assert (bad.value.code, bad.value.field) == ("bad_cursor", "cursor")
