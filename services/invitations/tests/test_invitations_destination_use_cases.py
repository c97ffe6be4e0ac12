"""Who reads and changes a tenant's destination countries (handlers/destinations.py), on an
in-memory unit of work: no Postgres, no Kafka."""

from __future__ import annotations

import uuid

import pytest
from contacts_servicekit.domain_errors import Missing, NotPermitted, Refused
from contacts_servicekit.principal import Principal
from invitations_service.handlers import destinations

from .fake_invitations_work import FakeInvitationsWork

pytestmark = pytest.mark.unit

TENANT = uuid.uuid4()


def principal(
    user: uuid.UUID, *roles: str, tenant: uuid.UUID | None = None, subject: str | None = None
) -> Principal:
    claim = str(tenant) if tenant else None
    return Principal(subject or str(user), claim, None, frozenset(roles))


def tenant_with(member: uuid.UUID, admin: uuid.UUID) -> FakeInvitationsWork:
    work = FakeInvitationsWork()
    work.companies.update({member: TENANT, admin: TENANT})
    work.admins.add(admin)
    work.members[TENANT] = ["BE", "FR"]
    return work


async def test_a_member_reads_the_members_countries_until_an_admin_sets_a_list() -> None:
    member, admin = uuid.uuid4(), uuid.uuid4()
    work = tenant_with(member, admin)
    read = await destinations.read_countries(work, principal(member), TENANT)
    assert (read.explicit, read.countries, read.member_countries) == (
        False,
        ["BE", "FR"],
        ["BE", "FR"],
    )
    changed = await destinations.replace_countries(work, principal(admin), TENANT, ["ch", "FR"])
    assert (changed.explicit, changed.countries) == (True, ["CH", "FR"])
    await destinations.reset_countries(work, principal(admin), TENANT)
    assert (await destinations.read_countries(work, principal(member), TENANT)).explicit is False


async def test_a_member_who_is_not_an_admin_may_not_change_the_list() -> None:
    member, admin = uuid.uuid4(), uuid.uuid4()
    work = tenant_with(member, admin)
    with pytest.raises(NotPermitted) as refused:
        await destinations.replace_countries(work, principal(member), TENANT, ["FR"])
    assert refused.value.code == "not_tenant_admin"
    assert TENANT not in work.explicit


async def test_a_stranger_finds_no_tenant_and_a_token_admin_or_a_service_may_change_it() -> None:
    work, stranger = tenant_with(uuid.uuid4(), uuid.uuid4()), uuid.uuid4()
    with pytest.raises(Missing) as missing:
        await destinations.read_countries(work, principal(stranger), TENANT)
    assert missing.value.code == "tenant_not_found"
    claimed_admin = principal(stranger, "admin", tenant=TENANT)
    await destinations.replace_countries(work, claimed_admin, TENANT, ["DE"])
    service = principal(stranger, "service", subject="signup-backend")  # not a user id: passes
    await destinations.replace_countries(work, service, TENANT, ["GB"])
    assert work.explicit[TENANT] == ["GB"]
    with pytest.raises(Missing) as no_user:
        await destinations.read_countries(work, principal(stranger, subject="backend"), TENANT)
    assert no_user.value.code == "user_not_found"


async def test_an_unknown_country_is_refused_before_anyone_is_looked_at() -> None:
    with pytest.raises(Refused) as refused:
        await destinations.replace_countries(
            FakeInvitationsWork(), principal(uuid.uuid4()), uuid.uuid4(), ["FR", "XX"]
        )
    assert (refused.value.code, refused.value.field) == ("unknown_country", "countries")


async def test_a_tenant_refuses_a_country_its_members_are_not_in_unless_none_is_known() -> None:
    work = tenant_with(uuid.uuid4(), uuid.uuid4())
    await destinations.check_country(work, TENANT, "+33612345678")
    with pytest.raises(Refused) as refused:
        await destinations.check_country(work, TENANT, "+4915123456789")
    assert refused.value.code == "country_not_allowed"
    await destinations.check_country(work, uuid.uuid4(), "+4915123456789")  # no member known
