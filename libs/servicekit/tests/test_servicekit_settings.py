"""ServiceSettings: environment variables, defaults, and errors that name the variable."""

from __future__ import annotations

import pytest
from contacts_servicekit.retention_settings import (
    IDEMPOTENCY_REPLAY_WINDOW_HOURS,
    INBOX_RETENTION_FLOOR_HOURS,
)
from contacts_servicekit.settings import (
    DEFAULT_DATABASE_URL,
    DEV_JWT_SECRET,
    ServiceSettings,
    SettingsError,
)
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pydantic import ValidationError

pytestmark = pytest.mark.unit


class ContactsSettings(ServiceSettings):
    """What a service declares: its name and port."""

    service_name: str = "contacts"
    http_port: int = 8002


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ServiceSettings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)


def error_locations(error: ValidationError) -> set[str]:
    return {str(part) for e in error.errors() for part in e["loc"]}


def test_defaults_come_from_the_subclass_and_the_platform() -> None:
    settings = ContactsSettings()

    assert settings.service_name == "contacts"
    assert settings.http_port == 8002
    assert settings.db_schema == "contacts"
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert (settings.db_pool_min, settings.db_pool_max) == (1, 10)
    assert settings.kafka_bootstrap_servers == "127.0.0.1:19092"
    assert settings.http_host == "127.0.0.1"
    assert (settings.log_level, settings.log_format) == ("INFO", "auto")
    assert settings.jwt_jwks_url == "http://127.0.0.1:8001/.well-known/jwks.json"
    assert settings.jwt_secret.get_secret_value() == DEV_JWT_SECRET
    assert (settings.jwt_issuer, settings.jwt_audience) == (
        "contacts-platform-dev",
        "contacts-platform",
    )
    assert settings.environment == "development"


def test_environment_variables_override_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p@db:5432/x")
    monkeypatch.setenv("DB_SCHEMA", "contacts_v2")
    monkeypatch.setenv("HTTP_PORT", "9000")
    monkeypatch.setenv("LOG_LEVEL", "debug")
    monkeypatch.setenv("LOG_FORMAT", "json")
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092")

    settings = ContactsSettings()

    assert settings.database_url == "postgresql://u:p@db:5432/x"
    assert settings.db_schema == "contacts_v2"
    assert settings.http_port == 9000
    assert settings.log_level == "DEBUG"
    assert settings.log_format == "json"
    assert settings.kafka_bootstrap_servers == "kafka:9092"


@pytest.mark.parametrize(
    "schema", ["Contacts", "contacts-v2", "1contacts", "x; DROP TABLE y", "a" * 64]
)
def test_unsafe_db_schema_is_refused_naming_db_schema(
    monkeypatch: pytest.MonkeyPatch, schema: str
) -> None:
    monkeypatch.setenv("DB_SCHEMA", schema)

    with pytest.raises(ValidationError) as caught:
        ContactsSettings()

    assert error_locations(caught.value) == {"DB_SCHEMA"}
    assert "safe SQL identifier" in str(caught.value)


def test_load_gives_one_line_per_bad_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DB_SCHEMA", "Bad-Schema")
    monkeypatch.setenv("HTTP_PORT", "not-a-port")
    monkeypatch.setenv("LOG_FORMAT", "xml")

    with pytest.raises(SettingsError) as caught:
        ContactsSettings.load()

    message = str(caught.value)
    assert "DB_SCHEMA: must be a safe SQL identifier" in message
    assert "HTTP_PORT: Input should be a valid integer" in message
    assert "LOG_FORMAT: Input should be 'auto', 'json' or 'console'" in message


@pytest.mark.parametrize(
    ("variable", "value"),
    [("HTTP_PORT", "70000"), ("DB_POOL_MAX", "0"), ("LOG_LEVEL", "LOUD"), ("ENVIRONMENT", "prod")],
)
def test_bad_values_name_their_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)

    with pytest.raises(ValidationError) as caught:
        ContactsSettings()

    assert error_locations(caught.value) == {variable}


def test_pool_max_below_pool_min_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DB_POOL_MIN", "5")
    monkeypatch.setenv("DB_POOL_MAX", "2")

    with pytest.raises(SettingsError, match=r"DB_POOL_MAX: must be >= DB_POOL_MIN \(5\)"):
        ContactsSettings.load()


def test_service_name_is_required_by_the_base_class(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PORT", "8000")

    with pytest.raises(SettingsError, match="SERVICE_NAME: Field required"):
        ServiceSettings.load()


def test_production_takes_no_development_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")

    settings = ContactsSettings()

    assert settings.development_secret is None


def test_production_needs_the_directory_keys_or_a_public_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("JWT_JWKS_URL", "")

    with pytest.raises(SettingsError, match="takes no development tokens: set JWT_JWKS_URL"):
        ContactsSettings.load()


def test_rs256_public_key_may_be_given_on_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    public_pem = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    monkeypatch.setenv("JWT_PUBLIC_KEY", public_pem.strip().replace("\n", "\\n"))

    assert ContactsSettings().jwt_public_key == public_pem.strip()


def test_garbage_public_key_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JWT_PUBLIC_KEY", "not a key")

    with pytest.raises(SettingsError, match="JWT_PUBLIC_KEY: is not a PEM-encoded public key"):
        ContactsSettings.load()


def test_jwks_url_must_be_http(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JWT_JWKS_URL", "file:///etc/passwd")

    with pytest.raises(SettingsError, match=r"JWT_JWKS_URL: must be an http\(s\) URL"):
        ContactsSettings.load()


def test_constraints_survive_a_subclass_redeclaring_the_field(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTP_PORT", "0")
    monkeypatch.setenv("SERVICE_NAME", " ")

    with pytest.raises(SettingsError) as caught:
        ContactsSettings.load()

    assert "HTTP_PORT: must be a TCP port between 1 and 65535" in str(caught.value)
    assert "SERVICE_NAME: must not be empty" in str(caught.value)


def test_every_service_keeps_two_weeks_of_inbox_and_two_days_of_keys_by_default() -> None:
    settings = ContactsSettings.load()

    assert settings.inbox_retention_hours == 14 * 24
    assert settings.idempotency_retention_hours == 48
    assert settings.retention_purge_minutes == 10


def test_retentions_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INBOX_RETENTION_HOURS", "720")
    monkeypatch.setenv("IDEMPOTENCY_RETENTION_HOURS", "24")

    settings = ContactsSettings.load()

    assert (settings.inbox_retention_hours, settings.idempotency_retention_hours) == (720, 24)


@pytest.mark.parametrize(
    ("variable", "hours", "reason"),
    [
        ("INBOX_RETENTION_HOURS", INBOX_RETENTION_FLOOR_HOURS - 1, "apply it twice"),
        ("IDEMPOTENCY_RETENTION_HOURS", IDEMPOTENCY_REPLAY_WINDOW_HOURS - 0.5, "first answer"),
    ],
)
def test_a_retention_below_its_safe_floor_is_refused_saying_why(
    monkeypatch: pytest.MonkeyPatch, variable: str, hours: float, reason: str
) -> None:
    monkeypatch.setenv(variable, str(hours))

    with pytest.raises(SettingsError) as refused:
        ContactsSettings.load()

    message = str(refused.value)
    assert f"{variable}: must be at least" in message
    assert reason in message
