"""Each service's `/docs` works with no network but the service's own: in a real browser
(Chromium) that may reach 127.0.0.1 only, Swagger UI renders every operation of the service's
OpenAPI document, the page asks no other host for anything, and its Content-Security-Policy
(self only) refuses nothing it needs."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from contacts_testing.all_services import SERVICES, running_services
from contacts_testing.browser import LocalPage
from contacts_testing.running_service import RunningService

pytestmark = pytest.mark.e2e
AN_OPERATION = {  # one operation each page must show, by its operationId
    "directory": "look_up_connect_id",
    "contacts": "list_contacts",
    "importer": "list_imports",
    "invitations": "list_invitations",
}


@pytest.fixture(scope="module")
async def services(
    postgres_admin_url: str, kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[dict[str, RunningService]]:
    folder = tmp_path_factory.mktemp("docs")
    async with running_services(postgres_admin_url, kafka_bootstrap, folder) as started:
        yield started


@pytest.mark.parametrize("name", SERVICES)
async def test_the_docs_page_renders_every_operation_offline(
    services: dict[str, RunningService], local_page: LocalPage, name: str
) -> None:
    service = services[name]
    document = (await service.http.get("/openapi.json")).json()
    page = local_page.page

    answer = await page.goto(f"{service.process.url}/docs")
    assert answer is not None and answer.status == 200
    assert "default-src 'self'" in answer.headers["content-security-policy"]
    shown = page.locator(".opblock-summary-operation-id", has_text=AN_OPERATION[name])
    await shown.first.wait_for(state="visible", timeout=30_000)

    every_operation = [op for item in document["paths"].values() for op in item.values()]
    assert await page.locator(".opblock").count() == len(every_operation)  # probes included
    assert local_page.refused == []
    assert local_page.console_errors == []
