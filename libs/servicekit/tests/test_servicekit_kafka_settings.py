"""KafkaConnectionSettings: TLS and SASL settings, and the mistakes refused at start-up."""

from __future__ import annotations

from pathlib import Path

import pytest
from contacts_servicekit.kafka_settings import KafkaConnectionSettings
from contacts_servicekit.settings import SettingsError
from contacts_testing.tls import CertificateAuthority

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [*KafkaConnectionSettings.model_fields, "environment"]:
        monkeypatch.delenv(name.upper(), raising=False)


@pytest.fixture(scope="module")
def authority(tmp_path_factory: pytest.TempPathFactory) -> CertificateAuthority:
    return CertificateAuthority.create(tmp_path_factory.mktemp("tls"))


def load(monkeypatch: pytest.MonkeyPatch, **variables: str | Path) -> KafkaConnectionSettings:
    for name, value in variables.items():
        monkeypatch.setenv(name, str(value))
    return KafkaConnectionSettings.load()


def refusal(monkeypatch: pytest.MonkeyPatch, **variables: str | Path) -> str:
    with pytest.raises(SettingsError) as refused:
        load(monkeypatch, **variables)
    return str(refused.value)


def sasl_ssl(**more: str | Path) -> dict[str, str | Path]:
    return {"KAFKA_SECURITY_PROTOCOL": "SASL_SSL", "KAFKA_SASL_USERNAME": "contacts",
            "KAFKA_SASL_PASSWORD": "s3cret", **more}  # fmt: skip


def test_plaintext_on_this_machine_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load(monkeypatch)

    assert settings.kafka_bootstrap_servers == "127.0.0.1:19092"
    assert settings.kafka_security_protocol == "PLAINTEXT"
    assert not settings.kafka_uses_tls and not settings.kafka_uses_sasl


def test_sasl_ssl_with_a_ca_reads_every_variable(
    monkeypatch: pytest.MonkeyPatch, authority: CertificateAuthority
) -> None:
    settings = load(monkeypatch, **sasl_ssl(KAFKA_SSL_CA_FILE=authority.ca_file))

    assert settings.kafka_uses_tls and settings.kafka_uses_sasl
    assert settings.kafka_sasl_mechanism == "SCRAM-SHA-512"
    assert settings.kafka_sasl_secret() == "s3cret"
    assert settings.kafka_ssl_ca_file == authority.ca_file
    assert "s3cret" not in repr(settings)


def test_the_password_can_come_from_a_mounted_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secret = tmp_path / "password"
    secret.write_text("from-a-secret\n")
    variables = sasl_ssl(KAFKA_SASL_PASSWORD_FILE=secret)
    del variables["KAFKA_SASL_PASSWORD"]

    assert load(monkeypatch, **variables).kafka_sasl_secret() == "from-a-secret"


@pytest.mark.parametrize("missing", ["KAFKA_SASL_USERNAME", "KAFKA_SASL_PASSWORD"])
def test_sasl_without_user_or_password_is_refused(
    monkeypatch: pytest.MonkeyPatch, missing: str
) -> None:
    variables = sasl_ssl()
    del variables[missing]

    assert "needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD" in refusal(monkeypatch, **variables)


def test_credentials_a_protocol_would_ignore_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    message = refusal(monkeypatch, **sasl_ssl(KAFKA_SECURITY_PROTOCOL="SSL"))

    assert "KAFKA_SECURITY_PROTOCOL=SSL sends no credentials" in message


def test_a_missing_ca_file_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    message = refusal(monkeypatch, **sasl_ssl(KAFKA_SSL_CA_FILE=tmp_path / "nowhere.crt"))

    assert "KAFKA_SSL_CA_FILE:" in message and "does not exist" in message


def test_a_ca_file_without_a_pem_certificate_is_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    not_pem = tmp_path / "ca.crt"
    not_pem.write_text("not a certificate")

    message = refusal(monkeypatch, **sasl_ssl(KAFKA_SSL_CA_FILE=not_pem))

    assert "KAFKA_SSL_CA_FILE:" in message and "holds no PEM certificate" in message


def test_tls_files_without_tls_are_refused(
    monkeypatch: pytest.MonkeyPatch, authority: CertificateAuthority
) -> None:
    message = refusal(monkeypatch, KAFKA_SSL_CA_FILE=authority.ca_file)

    assert "PLAINTEXT does not use TLS" in message


def test_a_client_certificate_needs_its_key(
    monkeypatch: pytest.MonkeyPatch, authority: CertificateAuthority
) -> None:
    client = authority.issue_client("client", "contacts")
    only_cert = sasl_ssl(KAFKA_SSL_CERT_FILE=client.cert_file)
    swapped = sasl_ssl(KAFKA_SSL_CERT_FILE=client.key_file, KAFKA_SSL_KEY_FILE=client.cert_file)

    assert "go together" in refusal(monkeypatch, **only_cert)
    assert "are not a PEM certificate and its" in refusal(monkeypatch, **swapped)


@pytest.mark.parametrize("protocol", ["PLAINTEXT", "SASL_PLAINTEXT"])
def test_production_refuses_clear_text_to_a_remote_broker(
    monkeypatch: pytest.MonkeyPatch, protocol: str
) -> None:
    variables = sasl_ssl(KAFKA_SECURITY_PROTOCOL=protocol, ENVIRONMENT="production",
                         KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:9092,kafka-1.internal:9092")  # fmt: skip
    if protocol == "PLAINTEXT":
        del variables["KAFKA_SASL_USERNAME"], variables["KAFKA_SASL_PASSWORD"]

    message = refusal(monkeypatch, **variables)

    assert f"ENVIRONMENT=production refuses KAFKA_SECURITY_PROTOCOL={protocol}" in message
    assert "kafka-1.internal:9092" in message and "127.0.0.1:9092" not in message


@pytest.mark.parametrize(
    "variables",
    [
        {"KAFKA_BOOTSTRAP_SERVERS": "localhost:9092,[::1]:9092"},
        {"KAFKA_BOOTSTRAP_SERVERS": "kafka:9092", "KAFKA_ALLOW_PLAINTEXT": "true"},
        {"KAFKA_BOOTSTRAP_SERVERS": "kafka:9092", **sasl_ssl()},
    ],
)
def test_production_takes_loopback_an_explicit_exception_or_tls(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str]
) -> None:
    settings = load(monkeypatch, ENVIRONMENT="production", **variables)

    assert settings.environment == "production"
