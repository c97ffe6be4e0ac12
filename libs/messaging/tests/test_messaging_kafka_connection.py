"""kafka_connection: the same settings give aiokafka and FastStream the same connection."""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer
from contacts_messaging.kafka_connection import broker_options, client_options
from contacts_servicekit.kafka_settings import KafkaConnectionSettings
from contacts_testing.tls import CertificateAuthority
from faststream.kafka.security import parse_security
from faststream.security import BaseSecurity, SASLScram512

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def ca_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return CertificateAuthority.create(tmp_path_factory.mktemp("tls")).ca_file


def settings(**values: Any) -> KafkaConnectionSettings:
    return KafkaConnectionSettings(kafka_bootstrap_servers="b1:9093,b2:9093", **values)


def scram(ca_file: Path) -> KafkaConnectionSettings:
    return settings(kafka_security_protocol="SASL_SSL", kafka_sasl_username="contacts",
                    kafka_sasl_password="s3cret", kafka_ssl_ca_file=ca_file)  # fmt: skip


def test_bootstrap_addresses_alone_mean_plaintext() -> None:
    assert client_options("127.0.0.1:29092") == {"bootstrap_servers": ["127.0.0.1:29092"]}
    assert broker_options("127.0.0.1:29092") == {"bootstrap_servers": ["127.0.0.1:29092"]}


def test_a_cluster_s_addresses_are_given_one_by_one() -> None:
    """aiokafka reads a string as one address: `a:1,b:2` would be host `a:1,b`, port 2."""
    cluster = "127.0.0.1:29212, 127.0.0.1:29213,127.0.0.1:29214"
    expected = ["127.0.0.1:29212", "127.0.0.1:29213", "127.0.0.1:29214"]
    assert client_options(cluster)["bootstrap_servers"] == expected
    assert broker_options(cluster)["bootstrap_servers"] == expected
    assert broker_options(settings())["bootstrap_servers"] == ["b1:9093", "b2:9093"]


def test_sasl_ssl_gives_aiokafka_the_login_and_a_verifying_tls_context(ca_file: Path) -> None:
    options = client_options(scram(ca_file))
    context = options.pop("ssl_context")

    assert options == {
        "bootstrap_servers": ["b1:9093", "b2:9093"],
        "security_protocol": "SASL_SSL",
        "sasl_mechanism": "SCRAM-SHA-512",
        "sasl_plain_username": "contacts",
        "sasl_plain_password": "s3cret",
    }
    assert isinstance(context, ssl.SSLContext)
    assert context.check_hostname and context.verify_mode == ssl.CERT_REQUIRED


def test_faststream_gets_the_same_connection_as_aiokafka(ca_file: Path) -> None:
    options = broker_options(scram(ca_file))
    security = options["security"]

    assert isinstance(security, SASLScram512)
    assert (security.username, security.password, security.use_ssl) == (
        "contacts",
        "s3cret",
        True,
    )
    translated = parse_security(security)  # what FastStream hands its aiokafka clients
    expected = client_options(scram(ca_file))
    assert {k: v for k, v in translated.items() if k != "ssl_context"} == {
        k: v for k, v in expected.items() if k not in ("ssl_context", "bootstrap_servers")
    }
    assert translated["ssl_context"].check_hostname


def test_tls_without_sasl_is_faststream_base_security(ca_file: Path) -> None:
    connection = settings(kafka_security_protocol="SSL", kafka_ssl_ca_file=ca_file)

    security = broker_options(connection)["security"]

    assert type(security) is BaseSecurity and security.use_ssl
    assert "sasl_mechanism" not in client_options(connection)


async def test_a_producer_takes_the_options() -> None:
    """aiokafka checks its arguments when built: the options are ones it knows."""
    producer = AIOKafkaProducer(**client_options(scram_without_ca()))

    assert producer.client._security_protocol == "SASL_SSL"


def scram_without_ca() -> KafkaConnectionSettings:
    """A managed service with a public certificate: the system's CAs verify it."""
    return settings(kafka_security_protocol="SASL_SSL", kafka_sasl_username="u",
                    kafka_sasl_password="p")  # fmt: skip
