"""Destination countries of a tenant, through the real service: members' countries by default
(learnt from the directory's events), an admin's explicit list, refusals that say why."""

from __future__ import annotations

import uuid

import pytest
from contacts_events import CompanyMemberLeft, CompanyRole, ProfileField, UserProfileChanged
from contacts_events.connect_id import generate
from contacts_servicekit.auth import mint_token
from contacts_servicekit.settings import AuthSettings

from .conftest import bearer, company_with

pytestmark = pytest.mark.integration

FR, BE, DE = "+33612345678", "+32470123456", "+4915123456789"


def token(user_id: uuid.UUID, *roles: str, tenant: uuid.UUID | None = None) -> dict[str, str]:
    auth = AuthSettings()
    minted = mint_token(
        str(user_id), secret=auth.jwt_secret.get_secret_value(), roles=roles,
        tenant_id=str(tenant) if tenant else None, issuer=auth.jwt_issuer, audience=auth.jwt_audience,
    )  # fmt: skip
    return {"Authorization": f"Bearer {minted}"}


async def invite(service, headers, phone):
    return await service.http.post("/v1/invitations", json={"phone": phone}, headers=headers)


async def test_members_countries_by_default_then_an_admins_list(invitations):
    admin, member = uuid.uuid4(), uuid.uuid4()
    company = await company_with(
        invitations, {admin: (FR, CompanyRole.ADMIN), member: (BE, CompanyRole.MEMBER)}
    )
    path = f"/v1/tenants/{company}/destination-countries"
    shown = await invitations.http.get(path, headers=bearer(member))
    assert shown.json() == {"tenant_id": str(company), "explicit": False,
                            "countries": ["BE", "FR"], "member_countries": ["BE", "FR"]}  # fmt: skip

    refused = await invite(invitations, bearer(member), DE)
    assert refused.status_code == 422
    body = refused.json()
    assert (body["error"], body["field"]) == ("country_not_allowed", "phone")
    assert "(BE, FR)" in body["detail"]
    assert "DE (+49)" in body["detail"]
    assert (await invite(invitations, bearer(member), "+32470123400")).status_code == 201

    assert (await invitations.http.put(path, json={"countries": ["de"]}, headers=bearer(member))
            ).json()["error"] == "not_tenant_admin"  # fmt: skip
    changed = await invitations.http.put(path, json={"countries": ["de"]}, headers=bearer(admin))
    assert changed.status_code == 200, changed.text
    assert (changed.json()["explicit"], changed.json()["countries"]) == (True, ["DE"])
    assert (await invite(invitations, bearer(member), DE)).status_code == 201
    now_refused = await invite(invitations, bearer(member), "+33612345600")
    assert now_refused.json()["error"] == "country_not_allowed"
    explained = now_refused.json()["detail"]
    assert "administrators allow SMS invitations only to numbers in DE" in explained

    unknown = await invitations.http.put(path, json={"countries": ["XX"]}, headers=bearer(admin))
    assert (unknown.status_code, unknown.json()["field"]) == (422, "countries")
    assert (await invitations.http.delete(path, headers=bearer(admin))).status_code == 204
    assert (await invitations.http.get(path, headers=bearer(admin))).json()["explicit"] is False


async def test_who_may_see_and_change_a_tenants_list(invitations):
    company = await company_with(invitations, {uuid.uuid4(): (FR, CompanyRole.MEMBER)})
    path = f"/v1/tenants/{company}/destination-countries"
    stranger = uuid.uuid4()
    assert (await invitations.http.get(path, headers=bearer(stranger))).status_code == 404
    other_tenant = token(stranger, "admin", tenant=uuid.uuid4())
    assert (await invitations.http.put(path, json={"countries": ["ES"]}, headers=other_tenant)
            ).status_code == 404  # fmt: skip
    tenant_admin = token(stranger, "admin", tenant=company)  # an admin by the identity provider
    assert (await invitations.http.put(path, json={"countries": ["ES"]}, headers=tenant_admin)
            ).json()["countries"] == ["ES"]  # fmt: skip
    platform = token(uuid.uuid4(), "service")
    assert (await invitations.http.get(path, headers=platform)).json()["countries"] == ["ES"]


async def test_a_tenant_nobody_has_told_about_yet_refuses_no_country(invitations):
    """The token names a company whose members' phones are not known: no list to hold to."""
    inviter = token(uuid.uuid4(), tenant=uuid.uuid4())
    assert (await invite(invitations, inviter, "+34612345678")).status_code == 201


async def test_a_user_in_no_company_has_no_country_list(invitations):
    assert (await invite(invitations, bearer(uuid.uuid4()), "+34612345670")).status_code == 201


async def test_the_members_countries_follow_phone_changes_and_departures(invitations):
    stays, moves, leaves = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    company = await company_with(invitations, {
        stays: (FR, CompanyRole.MEMBER), moves: (BE, CompanyRole.MEMBER), leaves: (DE, CompanyRole.MEMBER),
    })  # fmt: skip
    await invitations.events.publish(
        UserProfileChanged(user_id=moves, connect_id=generate(), display_name="M",
                           phone_e164="+34612345678", changed_fields=(ProfileField.PHONE_E164,)),
        CompanyMemberLeft(company_id=company, user_id=leaves),
    )  # fmt: skip
    path = f"/v1/tenants/{company}/destination-countries"

    async def updated():
        shown = (await invitations.http.get(path, headers=bearer(stays))).json()
        return shown["member_countries"] == ["ES", "FR"]

    await invitations.until(updated)
    assert (await invite(invitations, bearer(stays), "+34612345611")).status_code == 201
    assert (await invite(invitations, bearer(stays), DE)).json()["error"] == "country_not_allowed"
