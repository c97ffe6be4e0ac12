"""The one place that turns Kafka connection settings into what the Kafka clients take.

Every Kafka client of the platform (producers, admin clients, consumers, FastStream's broker,
the command-line tools) is built with :func:`client_options` or :func:`broker_options`, so a
service, ``contacts-status``, ``contacts-dlt`` and the rebuild reach a TLS/SASL cluster alike.

A cluster is given as :class:`KafkaConnectionSettings` (a service's settings are one) or, where
only addresses are known (the tests' broker, a developer's), as the bootstrap string itself,
which means PLAINTEXT.

TLS always verifies the broker's certificate and host name (aiokafka's ``create_ssl_context``
cannot turn that off); with no ``KAFKA_SSL_CA_FILE`` the system's CAs apply, which is what a
managed service with a public certificate (Confluent Cloud, MSK, Aiven) needs.
"""

from __future__ import annotations

import ssl
import sys
from typing import Any

from aiokafka.helpers import create_ssl_context
from contacts_servicekit.environment_settings import SettingsError
from contacts_servicekit.kafka_settings import KafkaConnectionSettings
from faststream.security import BaseSecurity, SASLPlaintext, SASLScram256, SASLScram512

Kafka = KafkaConnectionSettings | str
"""A cluster to connect to: full connection settings, or bootstrap addresses (PLAINTEXT)."""

_SASL_SECURITY = {"SCRAM-SHA-512": SASLScram512, "SCRAM-SHA-256": SASLScram256,
                  "PLAIN": SASLPlaintext}  # fmt: skip


def bootstrap_of(kafka: Kafka) -> str:
    """The cluster's bootstrap addresses, as logs and reports show them."""
    return kafka if isinstance(kafka, str) else kafka.kafka_bootstrap_servers


def bootstrap_list(kafka: Kafka) -> list[str]:
    """The bootstrap addresses one by one: aiokafka and FastStream take a list, and read a
    string as one address (``a:1,b:2`` would be the host ``a:1,b`` on port 2)."""
    return [address.strip() for address in bootstrap_of(kafka).split(",") if address.strip()]


def client_options(kafka: Kafka) -> dict[str, Any]:
    """Keyword arguments for ``AIOKafkaProducer``, ``AIOKafkaConsumer`` and
    ``AIOKafkaAdminClient``: the addresses, the protocol, the SASL login, the TLS context."""
    if isinstance(kafka, str):
        return {"bootstrap_servers": bootstrap_list(kafka)}
    options: dict[str, Any] = {
        "bootstrap_servers": bootstrap_list(kafka),
        "security_protocol": kafka.kafka_security_protocol,
    }
    if kafka.kafka_uses_tls:
        options["ssl_context"] = tls_context(kafka)
    if kafka.kafka_uses_sasl:
        options["sasl_mechanism"] = kafka.kafka_sasl_mechanism
        options["sasl_plain_username"] = kafka.kafka_sasl_username
        options["sasl_plain_password"] = kafka.kafka_sasl_secret()
    return options


def broker_options(kafka: Kafka) -> dict[str, Any]:
    """Keyword arguments for FastStream's ``KafkaBroker``: the addresses and its ``security``
    object (which FastStream turns into the same aiokafka arguments)."""
    if isinstance(kafka, str) or kafka.kafka_security_protocol == "PLAINTEXT":
        return {"bootstrap_servers": bootstrap_list(kafka)}
    context = tls_context(kafka) if kafka.kafka_uses_tls else None
    security: BaseSecurity
    if kafka.kafka_uses_sasl:
        security = _SASL_SECURITY[kafka.kafka_sasl_mechanism](
            kafka.kafka_sasl_username or "",
            kafka.kafka_sasl_secret(),
            ssl_context=context,
            use_ssl=kafka.kafka_uses_tls,
        )
    else:
        security = BaseSecurity(ssl_context=context, use_ssl=True)
    return {"bootstrap_servers": bootstrap_list(kafka), "security": security}


def tls_context(kafka: KafkaConnectionSettings) -> ssl.SSLContext:
    """A client TLS context that checks the broker's certificate chain and host name."""
    context: ssl.SSLContext = create_ssl_context(
        cafile=kafka.kafka_ssl_ca_file,
        certfile=kafka.kafka_ssl_cert_file,
        keyfile=kafka.kafka_ssl_key_file,
    )
    return context


def tool_connection(bootstrap: str) -> KafkaConnectionSettings:
    """For a command-line tool: the services' ``KAFKA_*`` variables, with `bootstrap` (its
    ``--bootstrap``) as the addresses. A bad variable ends the tool with status 2, named."""
    try:
        return KafkaConnectionSettings.load(kafka_bootstrap_servers=bootstrap)
    except SettingsError as error:
        print(error, file=sys.stderr)
        raise SystemExit(2) from None
