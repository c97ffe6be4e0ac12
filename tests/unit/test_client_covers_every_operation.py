"""The typed client (libs/client) keeps step with the services: every operation of their OpenAPI
documents (probes and providers' webhooks aside) has a client method of the same name (its
operationId), and every client method sends an operation the documents describe. The documents
are built as `make docs` builds them (scripts/generate_docs.py), without a connection."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from contacts_client import AsyncContactsPlatform
from contacts_client.operation import Group, operation_ids

pytestmark = pytest.mark.unit

SERVICES = ("directory", "contacts", "importer", "invitations")
NOT_FOR_CLIENTS = {"/health", "/ready", "/metrics", "/v1/sms/status"}  # probes, SMS webhook


def openapi_document(service: str) -> dict[str, Any]:
    app_module = importlib.import_module(f"{service}_service.entrypoints.app")
    settings_module = importlib.import_module(f"{service}_service.settings")
    settings = getattr(settings_module, f"{service.capitalize()}Settings")()
    document: dict[str, Any] = app_module.build_app(settings).openapi()
    return document


def documented_operations() -> dict[str, str]:
    """operationId -> where it is (service, method, path), for every operation of the four."""
    found = {}
    for service in SERVICES:
        for path, item in openapi_document(service)["paths"].items():
            if path in NOT_FOR_CLIENTS:
                continue
            for method, operation in item.items():
                found[operation["operationId"]] = f"{service} {method.upper()} {path}"
    return found


def client_methods() -> dict[str, str]:
    """`group.method` -> the operationId it sends, for every method of the client's groups."""
    client = AsyncContactsPlatform()
    groups = {name: type(value) for name, value in vars(client).items() if isinstance(value, Group)}
    return {
        f"{group_name}.{method}": operation_id
        for group_name, group in groups.items()
        for method, operation_id in operation_ids(group).items()
    }


def test_every_operation_has_a_client_method_and_every_method_an_operation() -> None:
    documented, methods = documented_operations(), client_methods()
    sent = set(methods.values())

    missing = sorted(
        f"{op_id} ({where})" for op_id, where in documented.items() if op_id not in sent
    )
    unknown = sorted(
        f"{method} ({op_id})" for method, op_id in methods.items() if op_id not in documented
    )

    report = [("operations without a client method", missing),
              ("client methods sending no documented operation", unknown)]  # fmt: skip
    assert not (missing or unknown), "\n".join(
        f"{title}:\n  " + "\n  ".join(names) for title, names in report if names
    )


def test_a_method_is_named_by_its_operation_unless_it_is_an_alias() -> None:
    """Aliases (`iter_contacts`, `watch`) send an operation that also has its own method."""
    methods = client_methods()
    named = {method.split(".")[1] for method in methods}
    aliases = {method for method, op_id in methods.items() if method.split(".")[1] != op_id}

    assert all(methods[alias] in named for alias in aliases), aliases
    assert {alias.split(".")[1] for alias in aliases} <= {
        "iter_contacts", "iter_imports", "iter_rows", "iter_invitations", "iter_contact_points",
        "iter_membership_offers", "watch",
    }  # fmt: skip
