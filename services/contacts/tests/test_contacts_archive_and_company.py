"""Archive and unarchive; contacts managed by the company (colleagues, contact points)."""

from __future__ import annotations

import json
import uuid

import asyncpg
import pytest
from contacts_events import (
    CompanyCreated,
    CompanyMemberJoined,
    CompanyMemberLeft,
    CompanyRole,
    ContactPointCreated,
    ProfileField,
    UserProfileChanged,
    topics,
)
from contacts_events.connect_id import generate
from contacts_events.kafka_binding import from_record
from contacts_events.topics import namespaced
from contacts_service.adapters import listing
from contacts_service.adapters.listing import Search
from contacts_service.domain.names import prefix_range
from contacts_testing.auth import add_body
from contacts_testing.kafka_reader import read_topic

from .conftest import bearer

pytestmark = pytest.mark.integration


async def add(contacts, owner, other):
    added = await contacts.http.post(
        "/v1/contacts",
        json=add_body(owner.user_id, other.connect_id),
        headers=bearer(owner.user_id),
    )
    assert added.status_code == 201, added.text


async def test_archive_then_unarchive_moves_a_contact_between_lists_with_events_in_order(
    contacts, kafka_bootstrap
):
    ada, lin = await contacts.register("Ada"), await contacts.register("Lin")
    await add(contacts, ada, lin)
    me = bearer(ada.user_id)
    archived = await contacts.http.post(f"/v1/contacts/{lin.user_id}/archive", headers=me)
    assert archived.json()["archived"] is True
    assert (
        await contacts.http.post(f"/v1/contacts/{lin.user_id}/archive", headers=me)
    ).status_code == 200
    assert (await contacts.list(ada.user_id))["total"] == 0
    archived_list = await contacts.list(ada.user_id, list="archived")
    assert [c["display_name"] for c in archived_list["items"]] == ["Lin"]
    assert archived_list["total"] == 1
    unarchived = await contacts.http.post(f"/v1/contacts/{lin.user_id}/unarchive", headers=me)
    assert unarchived.json()["archived"] is False
    assert (await contacts.list(ada.user_id))["total"] == 1

    topic = namespaced(topics.CONTACTS, contacts.namespace)
    records = await read_topic(kafka_bootstrap, topic, expect=100, seconds=5)
    mine = [
        from_record(r.key, r.value, r.headers)
        for r in records
        if r.key == str(ada.user_id).encode()
    ]
    assert [e.name for e in mine] == ["ContactAdded", "ContactArchived", "ContactUnarchived"]


async def test_colleagues_and_contact_points_are_managed_listed_once_and_cannot_be_archived(
    contacts,
):
    ada, bo, cy = [await contacts.register(n) for n in ("Ada", "Bo", "Cy")]
    company, point = uuid.uuid4(), uuid.uuid4()
    await contacts.events.publish(
        CompanyCreated(company_id=company, company_name="Acme"),
        *(CompanyMemberJoined(company_id=company, user_id=u.user_id, role=CompanyRole.MEMBER) for u in (ada, bo)),
        ContactPointCreated(company_id=company, contact_point_id=point, connect_id=generate(), display_name="Reception"),
    )  # fmt: skip

    async def ada_sees_the_company():
        return (await contacts.list(ada.user_id))["total"] == 2

    await contacts.until(ada_sees_the_company)
    await add(contacts, ada, cy)
    await add(contacts, ada, bo)  # a colleague who is also a personal contact: listed once
    active = await contacts.list(ada.user_id)
    assert [(c["display_name"], c["managed_by"]) for c in active["items"]] == [
        ("Bo", "colleague"), ("Cy", None), ("Reception", "company_contact_point"),
    ]  # fmt: skip
    assert active["total"] == 3
    assert active["items"][0]["company_name"] == "Acme"

    for managed in (bo.user_id, point):
        refused = await contacts.http.post(
            f"/v1/contacts/{managed}/archive", headers=bearer(ada.user_id)
        )
        assert refused.status_code == 409
        assert refused.json()["error"] == "managed_by_company"
        assert "managed by your company" in refused.json()["detail"]

    # Bo leaves the company: he stays, as the personal contact Ada added, and can be archived
    await contacts.events.publish(CompanyMemberLeft(company_id=company, user_id=bo.user_id))

    async def bo_is_personal():
        items = (await contacts.list(ada.user_id))["items"]
        return next((c["display_name"], c["managed_by"]) for c in items) == ("Bo", None)

    await contacts.until(bo_is_personal)
    assert (
        await contacts.http.post(f"/v1/contacts/{bo.user_id}/archive", headers=bearer(ada.user_id))
    ).status_code == 200

    # Ada leaves: the contact point goes, her personal contacts stay
    await contacts.events.publish(CompanyMemberLeft(company_id=company, user_id=ada.user_id))

    async def only_cy_left():
        return [c["display_name"] for c in (await contacts.list(ada.user_id))["items"]] == ["Cy"]

    await contacts.until(only_cy_left)
    assert (await contacts.list(ada.user_id))["total"] == 1
    assert (await contacts.list(ada.user_id, list="archived"))["total"] == 1


async def test_company_membership_is_stored_per_member_not_per_pair(contacts):
    members = [uuid.uuid4() for _ in range(30)]
    company = uuid.uuid4()
    await contacts.events.publish(
        *(
            CompanyMemberJoined(company_id=company, user_id=m, role=CompanyRole.MEMBER)
            for m in members
        )
    )

    async def all_joined():
        return (
            await contacts.pool.fetchval(
                "SELECT n FROM list_sizes WHERE scope_id = $1 AND list = 'members'", company
            )
            == 30
        )

    await contacts.until(all_joined)
    assert (
        await contacts.pool.fetchval(
            "SELECT count(*) FROM company_members WHERE company_id = $1", company
        )
        == 30
    )
    assert (
        await contacts.pool.fetchval(
            "SELECT count(*) FROM contacts WHERE owner_id = ANY($1)", members
        )
        == 0
    )
    colleagues = await contacts.list(members[0])
    assert colleagues["total"] == 29  # everyone but oneself, with no row per pair


async def walk(contacts, owner, **params):
    """Every item of a list (or search), two at a time, and the total each page reported."""
    items, totals, cursor = [], set(), None
    while True:
        page = await contacts.list(
            owner, limit=2, **params, **({"cursor": cursor} if cursor else {})
        )
        items += [c["display_name"] for c in page["items"]]
        totals.add(page["total"])
        cursor = page["next_cursor"]
        if cursor is None:
            return items, totals


async def test_totals_count_each_listed_contact_once_with_and_without_a_name_search(contacts):
    ada = await contacts.register("Ada")
    mabel, marta, moses, zora, max_, mia = [
        await contacts.register(n) for n in ("Mabel", "Marta", "Moses", "Zora", "Max", "Mia")
    ]
    for other in (mabel, marta, max_, mia):
        await add(contacts, ada, other)
    for archived in (marta, mia):  # Marta is archived, then becomes a colleague
        response = await contacts.http.post(
            f"/v1/contacts/{archived.user_id}/archive", headers=bearer(ada.user_id)
        )
        assert response.status_code == 200
    company = uuid.uuid4()
    await contacts.events.publish(
        CompanyCreated(company_id=company, company_name="Acme"),
        *(CompanyMemberJoined(company_id=company, user_id=u.user_id, role=CompanyRole.MEMBER)
          for u in (ada, mabel, marta, moses, zora)),
        ContactPointCreated(company_id=company, contact_point_id=uuid.uuid4(),
                            connect_id=generate(), display_name="Mail room"),
    )  # fmt: skip

    async def company_listed():
        return (await contacts.list(ada.user_id))["total"] == 6

    await contacts.until(company_listed)
    expected = {
        ("active", None): ["Mabel", "Mail room", "Marta", "Max", "Moses", "Zora"],
        ("archived", None): ["Mia"],  # Marta is a colleague now: managed, so active
        ("active", "ma"): ["Mabel", "Mail room", "Marta", "Max"],
        ("archived", "ma"): [],
        ("active", "M"): ["Mabel", "Mail room", "Marta", "Max", "Moses"],
        ("archived", "m"): ["Mia"],
        ("active", "zo"): ["Zora"],
        ("active", "x"): [],
        ("active", "a"): [],  # Ada is a member, but not on her own list
        ("active", "mab"): ["Mabel"],
        ("archived", "mia"): ["Mia"],
        ("active", "ada"): [],
        ("active", "mabe"): ["Mabel"],  # longer prefixes are counted another way
        ("active", "mail"): ["Mail room"],
        ("active", "mart"): ["Marta"],
    }
    await expect_walks(contacts, ada, expected)

    # Max is renamed, Moses leaves: the counters of names follow
    await contacts.events.publish(
        UserProfileChanged(user_id=max_.user_id, connect_id=max_.connect_id,
                           display_name="Xavier", phone_e164=max_.phone_e164,
                           changed_fields=(ProfileField.DISPLAY_NAME,)),
        CompanyMemberLeft(company_id=company, user_id=moses.user_id),
    )  # fmt: skip

    async def changed():
        return (await contacts.list(ada.user_id, q="x"))["total"] == 1

    await contacts.until(changed)
    await expect_walks(contacts, ada, {
        ("active", "ma"): ["Mabel", "Mail room", "Marta"],
        ("active", "M"): ["Mabel", "Mail room", "Marta"],
        ("active", "x"): ["Xavier"],
        ("active", "mo"): [],
        ("active", "mos"): [],
        ("active", "mose"): [],
        ("active", "xavi"): ["Xavier"],
    })  # fmt: skip
    await expect_counters_to_match_a_recount(contacts)


async def expect_counters_to_match_a_recount(contacts):
    """The counters the triggers keep (migrations 0003-0005) are what counting rows gives."""
    recount = {
        "list_sizes": """
            SELECT owner_id, CASE WHEN archived_at IS NULL THEN 'active' ELSE 'archived' END,
                   count(*) FROM contacts GROUP BY 1, 2
            UNION ALL SELECT company_id, 'members', count(*) FROM company_members GROUP BY 1
            UNION ALL SELECT company_id, 'points', count(*) FROM contact_points GROUP BY 1""",
        "company_contact_counts": """
            SELECT owner_id, contact_company_id, CASE WHEN archived_at IS NULL THEN 'active'
                   ELSE 'archived' END, count(*)
            FROM contacts WHERE contact_company_id IS NOT NULL GROUP BY 1, 2, 3""",
        "name_counts": """
            SELECT owner_id, CASE WHEN archived_at IS NULL THEN 'active' ELSE 'archived' END,
                   left(sort_name, 3), count(*) FROM contacts GROUP BY 1, 2, 3
            UNION ALL SELECT company_id, 'members', left(sort_name, 3), count(*)
                      FROM company_members GROUP BY 1, 3
            UNION ALL SELECT company_id, 'points', left(sort_name, 3), count(*)
                      FROM contact_points GROUP BY 1, 3""",
    }
    for table, counted in recount.items():
        kept = await contacts.pool.fetch(f"SELECT * FROM {table} WHERE n <> 0")
        assert {tuple(r) for r in kept} == {tuple(r) for r in await contacts.pool.fetch(counted)}


async def expect_walks(contacts, owner, expected):
    for (list_name, q), names in expected.items():
        params = {"list": list_name} | ({"q": q} if q else {})
        walked, totals = await walk(contacts, owner.user_id, **params)
        assert walked == names, (list_name, q)
        assert totals == {len(names)}, (list_name, q)


def _nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


async def test_each_list_statement_counts_its_total_once_whatever_the_page_size(contacts):
    """The total is computed once per statement, not again for each row of the page (a
    planner that inlines it would count the colleagues in a name range once per listed
    contact); a whole list's total adds counters and counts no rows at all."""
    members = [uuid.uuid4() for _ in range(12)]
    company = uuid.uuid4()
    await contacts.events.publish(
        *(CompanyMemberJoined(company_id=company, user_id=m, role=CompanyRole.MEMBER)
          for m in members)
    )  # fmt: skip

    async def all_joined():
        query = "SELECT n FROM list_sizes WHERE scope_id = $1 AND list = 'members'"
        return await contacts.pool.fetchval(query, company) == 12

    await contacts.until(all_joined)
    prefixes = {Search.NONE: "", Search.SHORT: "a", Search.LONG: "abcd"}
    for (which, search), sql in listing.STATEMENTS.items():
        args = listing.arguments(members[0], prefix_range(prefixes[search]), None, 50)
        explained = await contacts.pool.fetchval(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", *args)
        plan = json.loads(explained)[0]["Plan"]
        loops = [n["Actual Loops"] for n in _nodes(plan) if n["Node Type"] == "Aggregate"]
        assert set(loops) <= {1}, (which, search, loops)  # a whole list counts nothing
    assert (await contacts.list(members[0]))["total"] == 11


async def test_names_are_counted_whatever_the_sessions_search_path(contacts, postgres_admin_url):
    owner = uuid.uuid4()
    conn = await asyncpg.connect(postgres_admin_url)  # search_path: "$user", public
    try:
        await conn.execute(
            f'INSERT INTO "{contacts.schema}".contacts'
            " (owner_id, contact_user_id, sort_name, source) VALUES ($1, $2, 'quentin', 'x')",
            owner, uuid.uuid4(),
        )  # fmt: skip
    finally:
        await conn.close()
    counted = "SELECT n FROM name_counts WHERE scope_id = $1 AND list = 'active' AND bucket = 'que'"
    assert await contacts.pool.fetchval(counted, owner) == 1
