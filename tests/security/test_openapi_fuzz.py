"""Schemathesis against every service's live OpenAPI: valid and invalid requests, sent with a
valid token, never get a 5xx and always get a response the document describes."""

from __future__ import annotations

import uuid

import pytest
import schemathesis
from contacts_testing.auth import bearer
from contacts_testing.running_service import RunningService
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.integration

EXAMPLES_PER_OPERATION = 25  # per generation mode: about 1,500 requests over the four services
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def fuzz_operation(
    operation: schemathesis.APIOperation, base_url: str, token: dict[str, str]
) -> None:
    strategy = st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )

    @given(case=strategy)
    @settings(max_examples=2 * EXAMPLES_PER_OPERATION, deadline=None, database=None,
              derandomize=True, suppress_health_check=list(HealthCheck))  # fmt: skip
    def one(case: schemathesis.Case) -> None:
        case.call_and_validate(base_url=base_url, headers=token, checks=CHECKS, timeout=30)

    one()


@pytest.mark.parametrize("name", ["directory", "contacts", "importer", "invitations"])
def test_no_request_gets_a_server_error_or_an_undocumented_response(
    services: dict[str, RunningService], name: str
) -> None:
    service = services[name]
    schema = schemathesis.openapi.from_url(f"{service.process.url}/openapi.json")
    token = bearer(uuid.uuid4(), "admin") if name == "directory" else bearer(uuid.uuid4())
    fuzzed, failures = [], {}
    for result in schema.get_all_operations():
        operation = result.ok()
        fuzzed.append(operation.label)
        try:
            fuzz_operation(operation, service.process.url, token)
        except Exception as failure:  # every operation is fuzzed, then every failure shown
            failures[operation.label] = failure
    assert len(fuzzed) >= 4, fuzzed
    assert not failures, "\n\n".join(f"{label}: {error}" for label, error in failures.items())
