"""The company use cases alone, on an in-memory unit of work: no Postgres, no Kafka. The same
use cases on Postgres are proven by test_directory_companies_api.py and the lock tests."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from uuid import UUID

import pytest
from contacts_events import CompanyRole
from contacts_events.connect_id import ConnectId, generate
from contacts_servicekit.domain_errors import Conflicting, Missing, NotPermitted
from contacts_testing.unit_of_work import FakeUnitOfWork
from directory_service.domain.model import Company, ContactPoint, User
from directory_service.handlers import companies

pytestmark = pytest.mark.unit


class FakeCompaniesWork(FakeUnitOfWork):
    """handlers/company_ports.py in memory."""

    def __init__(self) -> None:
        super().__init__()
        self.names: dict[UUID, str] = {}
        self.roles: dict[UUID, tuple[UUID, str]] = {}  # user -> (company, role): one company
        self.points: dict[UUID, ContactPoint] = {}
        self.people: dict[UUID, User] = {}
        self.locked: set[UUID] = set()
        self.companies = self.users = self

    def person(self, status: str = "active") -> UUID:
        user_id = uuid.uuid4()
        self.people[user_id] = User(
            user_id, generate(), "Ada", "+447400000001", None, status, None, None,
            datetime(2030, 1, 1, tzinfo=UTC),
        )  # fmt: skip
        return user_id

    async def insert_company(self, company_id: UUID, name: str) -> None:
        self.names[company_id] = name

    async def get_company(self, company_id: UUID) -> Company | None:
        name = self.names.get(company_id)
        return Company(company_id, name) if name is not None else None

    async def role_in(
        self, company_id: UUID, user_id: UUID, *, for_update: bool = False
    ) -> str | None:
        if for_update:
            self.locked.add(user_id)
        company, role = self.roles.get(user_id, (None, None))
        return role if company == company_id else None

    async def insert_member(self, company_id: UUID, user_id: UUID, role: str) -> bool:
        if user_id in self.roles:
            return False
        self.roles[user_id] = (company_id, role)
        return True

    async def remove_member(self, company_id: UUID, user_id: UUID) -> bool:
        assert user_id in self.locked, "removed without its lock"
        return self.roles.pop(user_id, None) is not None

    async def count_admins(self, company_id: UUID) -> int:
        return sum(r == (company_id, CompanyRole.ADMIN) for r in self.roles.values())

    async def insert_contact_point(
        self, point_id: UUID, company_id: UUID, connect_id: ConnectId, name: str
    ) -> None:
        self.points[point_id] = ContactPoint(point_id, company_id, connect_id, name)

    async def contact_points(
        self, company_id: UUID, after: tuple[str, UUID] | None, limit: int
    ) -> list[ContactPoint]:
        mine = sorted((p for p in self.points.values() if p.company_id == company_id),
                      key=lambda p: (p.display_name, p.contact_point_id))  # fmt: skip
        after_cursor = [
            p for p in mine if after is None or (p.display_name, p.contact_point_id) > after
        ]
        return after_cursor[:limit]

    async def remove_contact_point(self, company_id: UUID, point_id: UUID) -> bool:
        point = self.points.get(point_id)
        if point is None or point.company_id != company_id:
            return False
        del self.points[point_id]
        return True

    async def get_user(self, user_id: UUID, *, for_update: bool = False) -> User | None:
        if for_update:
            self.locked.add(user_id)
        return self.people.get(user_id)

    async def allocate_connect_id(self, kind: str, owner_id: UUID) -> ConnectId:
        return generate()


@pytest.fixture
def work() -> FakeCompaniesWork:
    return FakeCompaniesWork()


async def test_a_company_is_created_and_announced(work: FakeCompaniesWork) -> None:
    company = await companies.create(work, "Acme")
    assert work.names == {company.company_id: "Acme"}
    assert work.event_names() == ["CompanyCreated"]


async def test_a_member_joins_once_and_leaves_once(work: FakeCompaniesWork) -> None:
    company, ada = (await companies.create(work, "Acme")).company_id, work.person()
    await companies.add_member(work, company, ada, CompanyRole.MEMBER)
    assert ada in work.locked  # the account locked before its state was read
    with pytest.raises(Conflicting) as again:
        await companies.add_member(work, company, ada, CompanyRole.MEMBER)
    assert (again.value.code, again.value.field) == ("already_member", "user_id")
    await companies.remove_member(work, company, ada)
    with pytest.raises(Missing) as gone:
        await companies.remove_member(work, company, ada)
    assert (gone.value.code, gone.value.field) == ("member_not_found", "user_id")
    assert work.event_names() == ["CompanyCreated", "CompanyMemberJoined", "CompanyMemberLeft"]


@pytest.mark.parametrize(
    ("who", "code", "field"),
    [("closed", "user_not_found", "user_id"), ("unknown", "user_not_found", "user_id"),
     ("no company", "company_not_found", "company_id")],
)  # fmt: skip
async def test_joining_is_refused_naming_the_field(
    work: FakeCompaniesWork, who: str, code: str, field: str
) -> None:
    company = (await companies.create(work, "Acme")).company_id
    user = {"closed": work.person("deactivated"), "unknown": uuid.uuid4()}.get(who, work.person())
    target = uuid.uuid4() if who == "no company" else company
    with pytest.raises(Missing) as refused:
        await companies.add_member(work, target, user, CompanyRole.MEMBER)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert work.event_names() == ["CompanyCreated"] and work.roles == {}


async def test_the_last_admin_cannot_leave(work: FakeCompaniesWork) -> None:
    company, admin = (await companies.create(work, "Acme")).company_id, work.person()
    await companies.add_member(work, company, admin, CompanyRole.ADMIN)
    with pytest.raises(Conflicting) as refused:
        await companies.remove_member(work, company, admin)
    assert refused.value.code == "last_admin"
    second = work.person()
    await companies.add_member(work, company, second, CompanyRole.ADMIN)
    await companies.remove_member(work, company, admin)
    assert work.roles == {second: (company, CompanyRole.ADMIN)}


async def test_only_members_see_a_company_and_only_admins_change_it(
    work: FakeCompaniesWork,
) -> None:
    company, member, stranger = (
        (await companies.create(work, "Acme")).company_id, work.person(), work.person()
    )  # fmt: skip
    await companies.add_member(work, company, member, CompanyRole.MEMBER)
    assert (await companies.visible_company(work, company, member, staff=False)).name == "Acme"
    with pytest.raises(Missing):  # not there, rather than forbidden
        await companies.visible_company(work, company, stranger, staff=False)
    assert await companies.visible_company(work, company, stranger, staff=True)
    with pytest.raises(NotPermitted) as refused:
        await companies.require_admin(work, company, member, staff=False)
    assert refused.value.code == "not_company_admin"


async def test_contact_points_are_listed_by_name_and_removed_once(work: FakeCompaniesWork) -> None:
    company = (await companies.create(work, "Acme")).company_id
    for name in ("Sales", "Reception", "Desk"):
        await companies.create_contact_point(work, company, name)
    first = await companies.list_contact_points(work, company, None, 2)
    assert [p.display_name for p in first] == ["Desk", "Reception"]
    last = (first[-1].display_name, first[-1].contact_point_id)
    assert [
        p.display_name for p in await companies.list_contact_points(work, company, last, 2)
    ] == ["Sales"]
    await companies.remove_contact_point(work, company, first[0].contact_point_id)
    with pytest.raises(Missing) as gone:
        await companies.remove_contact_point(work, company, first[0].contact_point_id)
    assert gone.value.code == "contact_point_not_found"
    assert work.event_names().count("ContactPointRemoved") == 1
