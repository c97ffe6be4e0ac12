"""Service addresses: the local platform's by default, each from the environment, or one
gateway for all."""

from __future__ import annotations

import httpx
import pytest
from contacts_client import PlatformSettings

from .conftest import Clients, Script
from .samples import USER_ID, contact, invitation

pytestmark = pytest.mark.unit


def test_the_defaults_are_the_local_platform_s_ports() -> None:
    settings = PlatformSettings()

    assert [settings.url_of(s) for s in ("directory", "contacts", "importer", "invitations")] == [
        "http://127.0.0.1:8001", "http://127.0.0.1:8002", "http://127.0.0.1:8003",
        "http://127.0.0.1:8004",
    ]  # fmt: skip


async def test_each_service_s_address_comes_from_the_environment(
    clients: Clients, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONTACTS_CONTACTS_URL", "https://contacts.example.org/")
    script = Script(httpx.Response(200, json=contact()), httpx.Response(200, json=invitation()))
    client = clients.on(script, settings=PlatformSettings())

    await clients.call(client.contacts.read_contact, USER_ID)
    await clients.call(client.invitations.resend_invitation, USER_ID)

    hosts = [str(request.url.copy_with(path="/")) for request in script.requests]
    assert hosts == ["https://contacts.example.org/", "http://127.0.0.1:8004/"]


async def test_a_gateway_serves_every_service(
    clients: Clients, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONTACTS_BASE_URL", "https://api.example.org")
    monkeypatch.setenv("CONTACTS_CONTACTS_URL", "https://contacts.example.org")
    script = Script(httpx.Response(200, json=contact()), httpx.Response(200, json=invitation()))
    client = clients.on(script, settings=PlatformSettings())

    await clients.call(client.contacts.read_contact, USER_ID)
    await clients.call(client.invitations.resend_invitation, USER_ID)

    assert [request.url.host for request in script.requests] == ["api.example.org"] * 2
