"""Each service's NetworkPolicy lets it reach DNS, its own database, Kafka (not the web app), its
providers and the services it calls, and nothing else: no rule without `to` (which would allow
everywhere), no port more."""

from __future__ import annotations

from typing import Any

import pytest

from .helm_chart import EXAMPLES, RELEASE, render

pytestmark = pytest.mark.unit  # helm: tests/deploy/conftest.py

DNS = ("dns", (53,))
POSTGRES = ("postgres", (5432,))
KAFKA = ("kafka", (9092, 9093))
SMS = ("sms", (443,))
SMTP = ("smtp", (587, 465))
EXPECTED = {
    "directory": {DNS, POSTGRES, KAFKA, SMS, SMTP},
    "contacts": {DNS, POSTGRES, KAFKA, ("directory", (8001,))},
    "importer": {DNS, POSTGRES, KAFKA, ("directory", (8001,))},
    "invitations": {DNS, POSTGRES, KAFKA, SMS, SMTP, ("directory", (8001,))},
    "web": {DNS, POSTGRES, ("directory", (8001,)), ("contacts", (8002,)),
            ("importer", (8003,)), ("invitations", (8004,))},
}  # fmt: skip


def destination(rule: dict[str, Any]) -> tuple[str, tuple[int, ...]]:
    """What a rule of the default values reaches: a name and its ports."""
    peer = rule["to"][0]
    labels = peer.get("podSelector", {}).get("matchLabels", {})
    ports = tuple(dict.fromkeys(port["port"] for port in rule["ports"]))  # DNS: UDP and TCP
    if labels.get("k8s-app") == "kube-dns":
        return "dns", ports
    if "cnpg.io/cluster" in labels:
        return "postgres", ports
    if "strimzi.io/cluster" in labels:
        return "kafka", ports
    if "app.kubernetes.io/name" in labels:
        return labels["app.kubernetes.io/name"], ports
    return ("sms" if ports == (443,) else "smtp"), ports


@pytest.mark.parametrize("service", sorted(EXPECTED))
def test_each_service_reaches_only_what_it_must(service):
    policy = render().named("NetworkPolicy", f"{RELEASE}-{service}")

    assert policy["spec"]["policyTypes"] == ["Egress"]
    assert {destination(rule) for rule in policy["spec"]["egress"]} == EXPECTED[service]


@pytest.mark.parametrize("values", [None, *EXAMPLES], ids=["defaults", *(p.stem for p in EXAMPLES)])
def test_no_rule_allows_every_destination(values):
    for policy in render(values).of_kind("NetworkPolicy"):
        for rule in policy["spec"]["egress"]:
            assert rule.get("to"), policy["metadata"]["name"]
            assert rule.get("ports"), policy["metadata"]["name"]


def test_a_migration_job_reaches_only_dns_and_its_database():
    policy = render().named("NetworkPolicy", f"{RELEASE}-importer-migrate")

    assert {destination(rule) for rule in policy["spec"]["egress"]} == {DNS, POSTGRES}
    assert (
        policy["spec"]["podSelector"]["matchLabels"]["app.kubernetes.io/component"] == "migrations"
    )


def test_a_managed_kafka_and_postgres_are_reached_by_their_addresses_only():
    example = next(p for p in EXAMPLES if p.stem == "existing-kafka-sasl-ssl")
    policy = render(example).named("NetworkPolicy", f"{RELEASE}-contacts")

    kafka = next(
        r for r in policy["spec"]["egress"] if r["ports"] == [{"port": 9096, "protocol": "TCP"}]
    )
    assert kafka["to"] == [{"ipBlock": {"cidr": "10.20.0.0/16"}}]


def test_a_web_app_without_a_service_has_no_rule_for_it():
    policy = render(None, "services.importer.enabled=false").named(
        "NetworkPolicy", f"{RELEASE}-web"
    )

    assert ("importer", (8003,)) not in {destination(rule) for rule in policy["spec"]["egress"]}
