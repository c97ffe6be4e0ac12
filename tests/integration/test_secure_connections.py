"""Secured connections: Kafka over TLS with SASL/SCRAM-SHA-512 and Postgres with
``sslmode=verify-full``, against a broker and a Postgres cluster that take nothing else, with
certificates this module makes. The contacts service runs on both as its real process, and
``contacts-status`` / ``contacts-dlt`` read the secured cluster with the services' variables;
a wrong password, a client without the CA, clear text to the TLS port, a CA that did not sign
the server and a wrong host name are each refused, with the reason said.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import ssl
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaConnectionError
from contacts_events import UserRegistered
from contacts_events.connect_id import generate
from contacts_messaging.kafka_connection import Kafka, client_options
from contacts_servicekit.kafka_settings import KafkaConnectionSettings
from contacts_testing.infra import TEST_STATE_DIR
from contacts_testing.running_service import kafka_environment, running_service
from contacts_testing.secure_kafka import SecureKafka
from contacts_testing.secure_postgres import SecurePostgres
from contacts_testing.tls import CertificateAuthority

pytestmark = pytest.mark.integration

STATE = TEST_STATE_DIR / "secure"
KAFKA_PORT = 29592  # 29593: its controller, 29594: mutual TLS
POSTGRES_PORT = 25662  # not 25632: the directory bench's
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def authority() -> CertificateAuthority:
    return CertificateAuthority.create(STATE / "tls", "platform")


@pytest.fixture(scope="module")
def secure_kafka(authority: CertificateAuthority) -> Iterator[SecureKafka]:
    with SecureKafka(STATE / "kafka", KAFKA_PORT, authority) as broker:
        yield broker


@pytest.fixture(scope="module")
def secure_postgres(authority: CertificateAuthority) -> Iterator[SecurePostgres]:
    server = SecurePostgres(POSTGRES_PORT, STATE, authority=authority)
    server.stop()  # one a killed run left running serves the previous run's certificate
    server.start()
    try:
        yield server
    finally:
        server.stop()


async def connect_admin(kafka: Kafka) -> list[str]:
    """The topics, read by an admin client that first connects and authenticates."""
    admin = AIOKafkaAdminClient(**client_options(kafka), request_timeout_ms=5000)
    try:
        await admin.start()
        return list(await admin.list_topics())
    finally:
        await admin.close()


def tool(command: str, kafka: SecureKafka, *args: str) -> tuple[int, Any]:
    """A command-line tool with only the services' KAFKA_* variables to reach the cluster."""
    env = {**os.environ, **kafka_environment(kafka.connection())}
    done = subprocess.run([str(BIN / command), *args, "--json"], env=env, capture_output=True,
                          text=True, timeout=60, check=False)  # fmt: skip
    return done.returncode, json.loads(done.stdout) if done.stdout else done.stderr


async def test_a_service_runs_on_sasl_ssl_kafka_and_verify_full_postgres(
    secure_kafka: SecureKafka, secure_postgres: SecurePostgres, authority: CertificateAuthority,
    tmp_path: Path,
) -> None:  # fmt: skip
    url = secure_postgres.verified_url(authority.ca_file)
    kafka = secure_kafka.connection()
    async with running_service("contacts", url, kafka, tmp_path) as svc:
        user = UserRegistered(user_id=uuid.uuid4(), connect_id=generate(), display_name="Ada",
                              phone_e164="+447400900123")  # fmt: skip
        await svc.events.publish(user)
        query = "SELECT display_name FROM directory_users WHERE user_id = $1"
        assert await svc.until(lambda: svc.pool.fetchval(query, user.user_id)) == "Ada"
        assert await svc.pool.fetchval("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")

        code, report = await asyncio.to_thread(
            tool, "contacts-status", secure_kafka, "--service", f"contacts={svc.process.url}",
            "--schema", svc.schema, "--database-url", url, "--namespace", svc.namespace,
        )  # fmt: skip
        group = f"{svc.namespace}.contacts.directory"
        code_dlt, dead = await asyncio.to_thread(
            tool, "contacts-dlt", secure_kafka, "list", "--group", group
        )
    assert (code, report["errors"]) == (0, {}), report
    assert report["services"][0]["checks"] == {"postgres": "ok", "kafka": "ok", "work": "ok"}
    assert {g["group"]: g["lag"] for g in report["consumer_groups"]}[group] == 0
    assert (code_dlt, dead["replayed"]) == (0, [])


async def test_a_wrong_password_is_refused_and_the_reason_logged(
    secure_kafka: SecureKafka, caplog: pytest.LogCaptureFixture
) -> None:
    wrong = secure_kafka.connection(kafka_sasl_password="not-the-password")

    with caplog.at_level(logging.ERROR, logger="aiokafka"), pytest.raises(KafkaConnectionError):
        await connect_admin(wrong)

    assert "invalid credentials with SASL mechanism SCRAM-SHA-512" in caplog.text
    assert await connect_admin(secure_kafka.connection()) is not None  # the right one is taken


async def test_a_client_without_the_ca_is_refused(
    secure_kafka: SecureKafka, caplog: pytest.LogCaptureFixture
) -> None:
    system_cas_only = secure_kafka.connection(kafka_ssl_ca_file=None)

    with caplog.at_level(logging.ERROR, logger="aiokafka"), pytest.raises(KafkaConnectionError):
        await connect_admin(system_cas_only)

    assert "CERTIFICATE_VERIFY_FAILED" in caplog.text


@pytest.mark.parametrize("protocol", ["PLAINTEXT", "SASL_PLAINTEXT"])
async def test_clear_text_to_the_tls_port_fails(secure_kafka: SecureKafka, protocol: str) -> None:
    clear: Kafka = secure_kafka.bootstrap  # bare addresses: PLAINTEXT
    if protocol == "SASL_PLAINTEXT":
        clear = secure_kafka.connection(kafka_security_protocol=protocol, kafka_ssl_ca_file=None)

    with pytest.raises(KafkaConnectionError):
        await connect_admin(clear)


async def test_postgres_refuses_a_ca_that_did_not_sign_it(
    secure_postgres: SecurePostgres, authority: CertificateAuthority
) -> None:
    stranger = CertificateAuthority.create(authority.folder, "stranger")

    with pytest.raises(ssl.SSLCertVerificationError, match="unable to get local issuer"):
        await asyncpg.connect(secure_postgres.verified_url(stranger.ca_file))


async def test_postgres_refuses_a_host_name_the_certificate_does_not_name(
    secure_postgres: SecurePostgres, authority: CertificateAuthority
) -> None:
    other_name = secure_postgres.verified_url(authority.ca_file, host="127.0.0.1")

    with pytest.raises(ssl.SSLCertVerificationError, match="IP address mismatch"):
        await asyncpg.connect(other_name)

    right = await asyncpg.connect(secure_postgres.verified_url(authority.ca_file))
    await right.close()


async def test_mutual_tls_takes_a_client_certificate_the_ca_signed_and_no_other(
    secure_kafka: SecureKafka, authority: CertificateAuthority
) -> None:
    """KAFKA_SECURITY_PROTOCOL=SSL with KAFKA_SSL_CERT_FILE/KEY_FILE, on the MTLS listener."""
    ours = authority.issue_client("client-ours", "contacts")
    theirs = CertificateAuthority.create(authority.folder, "strangers").issue_client("c", "x")

    def mutual(cert: Path | None, key: Path | None) -> Kafka:
        return KafkaConnectionSettings.model_validate({
            "kafka_bootstrap_servers": f"127.0.0.1:{KAFKA_PORT + 2}",
            "kafka_security_protocol": "SSL", "kafka_ssl_ca_file": authority.ca_file,
            "kafka_ssl_cert_file": cert, "kafka_ssl_key_file": key,
        })  # fmt: skip

    assert await connect_admin(mutual(ours.cert_file, ours.key_file)) is not None
    for refused in (mutual(theirs.cert_file, theirs.key_file), mutual(None, None)):
        with pytest.raises(KafkaConnectionError):
            await connect_admin(refused)
