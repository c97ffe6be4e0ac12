"""The directory projection is rebuilt from the topics after it was lost."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from contacts_events import (
    CompanyCreated,
    CompanyMemberJoined,
    CompanyRole,
    ContactPointCreated,
    ProfileField,
    UserProfileChanged,
)
from contacts_events.connect_id import generate
from contacts_testing.auth import add_body

from .conftest import bearer

pytestmark = [pytest.mark.integration, pytest.mark.fault]

SNAPSHOT = {
    "directory_users": "SELECT user_id, connect_id, display_name, sort_name, active FROM directory_users ORDER BY 1",
    "companies": "SELECT * FROM companies ORDER BY 1",
    "company_members": "SELECT * FROM company_members ORDER BY 1, 2",
    "contact_points": "SELECT * FROM contact_points ORDER BY 1",
    "contacts": "SELECT owner_id, contact_user_id, display_name, sort_name, contact_company_id FROM contacts ORDER BY 1, 2",
    "name_counts": "SELECT scope_id, list, bucket, n FROM name_counts WHERE n <> 0 ORDER BY 1, 2, 3",
    "list_sizes": "SELECT scope_id, list, n FROM list_sizes WHERE n <> 0 ORDER BY 1, 2",
}
SEARCHES = ("b", "cy", "de", "desk")


async def snapshot(pool):
    return {name: [tuple(r) for r in await pool.fetch(query)] for name, query in SNAPSHOT.items()}


def run_rebuild(contacts, postgres_admin_url, kafka_bootstrap):
    env = {**os.environ, "DATABASE_URL": postgres_admin_url, "DB_SCHEMA": contacts.schema,
           "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap, "KAFKA_NAMESPACE": contacts.namespace}  # fmt: skip
    command = Path(sys.executable).parent / "contacts-rebuild-projections"
    return subprocess.run([str(command)], env=env, capture_output=True, text=True, timeout=120)


async def test_the_projection_is_rebuilt_from_the_topics(
    contacts, postgres_admin_url, kafka_bootstrap
):
    ada, bo, cy = [await contacts.register(n) for n in ("Ada", "Bo", "Cy")]
    company = uuid.uuid4()
    await contacts.events.publish(
        CompanyCreated(company_id=company, company_name="Hooli"),
        CompanyMemberJoined(company_id=company, user_id=ada.user_id, role=CompanyRole.ADMIN),
        CompanyMemberJoined(company_id=company, user_id=bo.user_id, role=CompanyRole.MEMBER),
        ContactPointCreated(company_id=company, contact_point_id=uuid.uuid4(), connect_id=generate(), display_name="Desk"),
        UserProfileChanged(user_id=cy.user_id, connect_id=cy.connect_id, display_name="Cyrus",
                           phone_e164=cy.phone_e164, changed_fields=(ProfileField.DISPLAY_NAME,)),
    )  # fmt: skip

    async def settled():
        return (await contacts.list(ada.user_id))["total"] == 2

    await contacts.until(settled)
    added = await contacts.http.post(
        "/v1/contacts", json=add_body(ada.user_id, cy.connect_id), headers=bearer(ada.user_id)
    )
    assert added.json()["display_name"] == "Cyrus"
    before = await snapshot(contacts.pool)
    listed_before = [await contacts.list(ada.user_id, q=q) for q in ("", *SEARCHES)]

    refused = await asyncio.to_thread(run_rebuild, contacts, postgres_admin_url, kafka_bootstrap)
    assert refused.returncode == 1
    assert "stop the contacts service" in refused.stderr

    await asyncio.to_thread(contacts.process.terminate)  # leaves the consumer group
    await contacts.pool.execute(
        "TRUNCATE directory_users, companies, company_members, contact_points"
    )
    await contacts.pool.execute(
        "UPDATE contacts SET display_name = NULL, sort_name = '', contact_company_id = NULL"
    )
    rebuilt = await asyncio.to_thread(run_rebuild, contacts, postgres_admin_url, kafka_bootstrap)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "projection rebuilt from" in rebuilt.stdout
    assert await snapshot(contacts.pool) == before

    contacts.process.start()
    await asyncio.to_thread(contacts.process.wait_for, "/ready")
    assert [await contacts.list(ada.user_id, q=q) for q in ("", *SEARCHES)] == listed_before
