"""Bad values fail `helm template` (and so `helm install`) with a message naming the value."""

from __future__ import annotations

import pytest

from .helm_chart import helm

pytestmark = pytest.mark.unit  # helm: tests/deploy/conftest.py

REFUSED = [
    ("kafka.securityProtocol=TLS", "/kafka/securityProtocol"),
    ("kafka.bootstrapServers=broker-without-port", "/kafka/bootstrapServers"),
    ("kafka.sasl.mechanism=SCRAM-SHA-1", "/kafka/sasl/mechanism"),
    ("services.importer.replicas=0", "/services/importer/replicas"),
    ("services.web.resources.limits=null", "limits"),
    ("services.contacts.config.http_port=1", "'http_port' does not match"),
    ("services.contacts.database.url=mysql://x", "/services/contacts/database/url"),
    ("services.contacts.replica=3", "replica"),
    ("podSecurityContext.runAsNonRoot=false", "/podSecurityContext/runAsNonRoot"),
    ("environment=staging", "/environment"),
]


@pytest.mark.parametrize(("assignment", "named"), REFUSED, ids=[a for a, _ in REFUSED])
def test_a_bad_value_is_refused_naming_it(assignment, named):
    result = helm("template", "rel", ".", "--set", assignment)

    assert result.returncode != 0
    assert named in result.stderr


def test_a_managed_postgres_without_its_addresses_is_refused():
    result = helm("template", "rel", ".", "--set", "postgres.cnpgCluster=",
                  "--set", "postgres.existingSecret=db")  # fmt: skip

    assert result.returncode != 0
    assert "postgres.networkPolicy.to" in result.stderr


def test_a_managed_kafka_without_its_addresses_is_refused():
    result = helm("template", "rel", ".", "--set", "kafka.strimzi.cluster=")

    assert result.returncode != 0
    assert "kafka.networkPolicy.to" in result.stderr
