"""The company and membership-offer use cases alone, on an in-memory unit of work: no Postgres, no Kafka. The same
use cases on Postgres are proven by test_directory_companies_api.py and the lock tests."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from contacts_events import CompanyRole
from contacts_events.connect_id import ConnectId, generate
from contacts_servicekit.domain_errors import Conflicting, Missing, NotPermitted
from contacts_testing.unit_of_work import FakeUnitOfWork
from directory_service.domain.membership_offer import MembershipOffer, OfferStatus
from directory_service.domain.model import Company, ContactPoint, User
from directory_service.handlers import companies, membership_offers

pytestmark = pytest.mark.unit
T0 = datetime(2030, 1, 1, tzinfo=UTC)


class FakeCompaniesWork(FakeUnitOfWork):
    """handlers/company_ports.py in memory."""

    def __init__(self) -> None:
        super().__init__()
        self.names: dict[UUID, str] = {}
        self.roles: dict[UUID, tuple[UUID, str]] = {}  # user -> (company, role): one company
        self.points: dict[UUID, ContactPoint] = {}
        self.people: dict[UUID, User] = {}
        self.locked: set[UUID] = set()
        self.offered: dict[UUID, MembershipOffer] = {}
        self.companies = self.users = self.offers = self

    def person(self, status: str = "active") -> UUID:
        user_id = uuid.uuid4()
        self.people[user_id] = User(
            user_id, generate(), "Ada", "+447400000001", None, status, None, None,
            T0,
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

    async def offer(
        self, offer_id: UUID, company_id: UUID, user_id: UUID, role: str, offered_by: UUID,
        lifetime: timedelta,
    ) -> tuple[MembershipOffer, bool]:  # fmt: skip
        for made in self.offered.values():
            if (made.company_id, made.user_id, made.status) == (company_id, user_id, "pending"):
                return made, False
        made = MembershipOffer(
            offer_id, company_id, self.names[company_id], user_id, role, "Wile",
            OfferStatus.PENDING, T0, T0 + lifetime,
        )  # fmt: skip
        self.offered[offer_id] = made
        return made, True

    async def pending_for(
        self, user_id: UUID, after: tuple[datetime, UUID] | None, limit: int
    ) -> list[MembershipOffer]:
        return [o for o in self.offered.values() if o.user_id == user_id][:limit]

    async def users_offer(self, offer_id: UUID, user_id: UUID) -> MembershipOffer | None:
        found = self.offered.get(offer_id)
        return found if found and found.user_id == user_id else None

    async def companys_offer(self, offer_id: UUID, company_id: UUID) -> MembershipOffer | None:
        found = self.offered.get(offer_id)
        return found if found and found.company_id == company_id else None

    async def close(self, offer_id: UUID, status: OfferStatus) -> None:
        self.offered[offer_id] = replace(self.offered[offer_id], status=status)


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


async def _offered(work: FakeCompaniesWork, user: UUID) -> MembershipOffer:
    company = (await companies.create(work, "Acme")).company_id
    day = timedelta(days=1)
    return await membership_offers.offer(work, company, user, CompanyRole.MEMBER, uuid.uuid4(), day)


async def test_an_offer_is_made_once_and_accepting_joins_once(work: FakeCompaniesWork) -> None:
    ada = work.person()
    made = await _offered(work, ada)
    again = await membership_offers.offer(
        work, made.company_id, ada, CompanyRole.MEMBER, uuid.uuid4(), timedelta(days=1)
    )
    assert again.offer_id == made.offer_id
    accepted = await membership_offers.accept(work, ada, made.offer_id)
    assert accepted.status is OfferStatus.ACCEPTED and ada in work.locked
    assert (await membership_offers.accept(work, ada, made.offer_id)).status is OfferStatus.ACCEPTED
    assert work.roles == {ada: (made.company_id, CompanyRole.MEMBER)}
    assert work.event_names() == [
        "CompanyCreated", "CompanyMembershipOffered", "CompanyMemberJoined"
    ]  # fmt: skip
    with pytest.raises(Conflicting) as late:
        await membership_offers.decline(work, ada, made.offer_id)
    assert (late.value.code, late.value.field) == ("offer_closed", "offer_id")


async def test_a_member_of_another_company_must_leave_it_first(work: FakeCompaniesWork) -> None:
    ada = work.person()
    other = (await companies.create(work, "Globex")).company_id
    await companies.add_member(work, other, ada, CompanyRole.MEMBER)
    made = await _offered(work, ada)
    with pytest.raises(Conflicting) as refused:
        await membership_offers.accept(work, ada, made.offer_id)
    assert refused.value.code == "member_of_another_company"
    assert work.offered[made.offer_id].status is OfferStatus.PENDING  # still there to accept


async def test_declined_and_withdrawn_offers_say_why_once(work: FakeCompaniesWork) -> None:
    ada, bo = work.person(), work.person()
    declined, withdrawn = await _offered(work, ada), await _offered(work, bo)
    await membership_offers.decline(work, ada, declined.offer_id)
    await membership_offers.decline(work, ada, declined.offer_id)
    await membership_offers.withdraw(work, withdrawn.company_id, withdrawn.offer_id)
    await membership_offers.withdraw(work, withdrawn.company_id, withdrawn.offer_id)
    names = work.event_names()
    assert (names.count("CompanyMembershipDeclined"), names.count("CompanyMembershipWithdrawn")) == (
        1, 1
    )  # fmt: skip
    assert work.roles == {}


async def test_nobody_else_answers_an_offer_and_closed_accounts_get_none(
    work: FakeCompaniesWork,
) -> None:
    ada, bo = work.person(), work.person()
    made = await _offered(work, ada)
    with pytest.raises(Missing) as not_yours:
        await membership_offers.accept(work, bo, made.offer_id)
    assert (not_yours.value.code, not_yours.value.field) == ("offer_not_found", "offer_id")
    with pytest.raises(Missing):
        await membership_offers.withdraw(work, uuid.uuid4(), made.offer_id)
    with pytest.raises(Missing) as closed:
        await _offered(work, work.person("deactivated"))
    assert closed.value.code == "user_not_found"
