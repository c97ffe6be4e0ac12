"""Every service's OpenAPI document, built as `make docs` builds it (no I/O), is valid OpenAPI
(openapi-spec-validator) and follows the project's API conventions (`openapi_rules`): each
rule fails with the list of its offenders, service by service."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from openapi_spec_validator import validate

from .openapi_rules import RULES, Rule, operations

pytestmark = pytest.mark.unit
SERVICES = ("directory", "contacts", "importer", "invitations")
AGREED_OPERATION_IDS = {  # issue 15: the endpoint functions' names, the clients' method names
    "directory": {
        "request_sign_in_code", "sign_in", "refresh_tokens", "sign_out", "issue_service_token",
        "rotate_signing_key", "read_signing_keys", "register_user", "read_me", "change_me",
        "close_my_account", "deactivate_user", "start_verification", "confirm_verification",
        "look_up_connect_id", "create_company", "read_company", "add_member", "remove_member",
        "withdraw_membership_offer", "list_contact_points", "create_contact_point",
        "remove_contact_point", "list_membership_offers", "accept_membership_offer",
        "decline_membership_offer",
    },
    "contacts": {"list_contacts", "add_contact", "read_contact", "archive_contact", "unarchive_contact"},
    "importer": {
        "paste_numbers", "upload_file", "list_imports", "read_import", "confirm_columns",
        "list_rows", "start_import", "invite_rows", "list_invitation_refusals",
        "download_error_report", "stream_progress", "download_results_csv",
        "download_results_xlsx",
    },
    "invitations": {
        "create_invitation", "list_invitations", "resend_invitation", "delete_invitation",
        "read_destination_countries", "replace_destination_countries",
        "reset_destination_countries", "receive_sms_status",
    },
}  # fmt: skip


def build_document(name: str) -> dict[str, Any]:
    """The service's document as scripts/generate_docs.py builds it: the app opens nothing."""
    app_module = importlib.import_module(f"{name}_service.entrypoints.app")
    settings_module = importlib.import_module(f"{name}_service.settings")
    settings = getattr(settings_module, f"{name.capitalize()}Settings")()
    document: dict[str, Any] = app_module.build_app(settings).openapi()
    return document


@pytest.fixture(scope="module")
def documents() -> dict[str, dict[str, Any]]:
    return {name: build_document(name) for name in SERVICES}


@pytest.mark.parametrize("name", SERVICES)
def test_the_document_is_valid_openapi(documents: dict[str, dict[str, Any]], name: str) -> None:
    validate(documents[name])


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.__name__)
def test_every_service_follows_the_rule(documents: dict[str, dict[str, Any]], rule: Rule) -> None:
    offenders = [f"{name} {offence}" for name in SERVICES for offence in rule(documents[name])]
    assert not offenders, f"{len(offenders)} offenders:\n" + "\n".join(offenders)


def test_operation_ids_are_the_agreed_method_names(documents: dict[str, dict[str, Any]]) -> None:
    offenders = []
    for name in SERVICES:
        found = {op.get("operationId") for _, op in operations(documents[name])}
        agreed = AGREED_OPERATION_IDS[name]
        offenders += [f"{name}: no operation {missing}" for missing in sorted(agreed - found)]
        offenders += [f"{name}: unexpected {extra}" for extra in sorted(found - agreed, key=str)]
    assert not offenders, f"{len(offenders)} offenders:\n" + "\n".join(offenders)
