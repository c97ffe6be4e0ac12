"""Settings every service shares, read from environment variables.

Each field is read from the upper-case environment variable of the same name (``db_schema`` from
``DB_SCHEMA``, no prefix). A service subclasses :class:`ServiceSettings` and gives its own
defaults::

    class ContactsSettings(ServiceSettings):
        service_name: str = "contacts"
        http_port: int = 8002

Invalid values raise :class:`pydantic.ValidationError` whose locations are the variable names
(``DB_SCHEMA``, ``HTTP_PORT``, ...); :meth:`ServiceSettings.load` turns that into a short
:class:`SettingsError` fit for a start-up message. Inputs are never echoed, so secrets stay out of
logs.
"""

from __future__ import annotations

import logging
import re
from typing import Literal, Self

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from pydantic import (
    Field,
    SecretStr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from contacts_servicekit.environment_settings import Environment, EnvironmentSettings, SettingsError
from contacts_servicekit.kafka_settings import KafkaConnectionSettings
from contacts_servicekit.retention_settings import RetentionSettings
from contacts_servicekit.topic_settings import TopicSettings

__all__ = ["AuthSettings", "Environment", "ServiceSettings", "SettingsError"]

DEV_JWT_SECRET = "development-only-secret-do-not-use-in-production"  # noqa: S105 - a known, public development value
"""The development-only HS256 secret; no HS256 token is accepted when ``ENVIRONMENT=production``."""

DEFAULT_DATABASE_URL = "postgresql://postgres:postgres@127.0.0.1:15432/contacts_platform"
ACCEPTED_TOKENS_CACHED = 50_000  # ~1 KB each, the token included: 50 MB per process when full
LOCAL_JWKS_URL = "http://127.0.0.1:8001/.well-known/jwks.json"  # the local platform's directory
_SQL_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")

LogFormat = Literal["auto", "json", "console"]


class AuthSettings(EnvironmentSettings):
    """The JWT settings, on their own so that tools (``contacts-token``) can read them too."""

    jwt_secret: SecretStr = Field(
        default=SecretStr(DEV_JWT_SECRET),
        description="JWT_SECRET: signs HS256 development tokens (contacts-token); unused in production",
    )
    jwt_public_key: str | None = None
    jwt_jwks_url: str | None = Field(
        default=LOCAL_JWKS_URL,
        description="JWT_JWKS_URL: the directory's signing keys; empty for none",
    )
    jwt_issuer: str = Field(default="contacts-platform-dev", min_length=1)
    jwt_audience: str = Field(default="contacts-platform", min_length=1)
    jwt_cache_size: int = Field(
        default=ACCEPTED_TOKENS_CACHED,
        ge=0,
        description="JWT_CACHE_SIZE: tokens remembered as verified until they expire; 0: none",
    )

    @property
    def development_secret(self) -> str | None:
        """The HS256 secret of development tokens; None in production, which never takes them."""
        if self.environment == "production":
            return None
        return self.jwt_secret.get_secret_value() or None

    @field_validator("jwt_public_key")
    @classmethod
    def _parse_public_key(cls, pem: str | None) -> str | None:
        if pem is None or not pem.strip():
            return None
        pem = pem.strip().replace("\\n", "\n")  # allow a one-line value with literal \n
        try:
            key = load_pem_public_key(pem.encode())
        except ValueError:
            raise ValueError("is not a PEM-encoded public key") from None
        if not isinstance(key, RSAPublicKey | Ed25519PublicKey):
            raise ValueError("must be an RSA (RS256) or Ed25519 (EdDSA) public key")
        return pem

    @field_validator("jwt_jwks_url")
    @classmethod
    def _check_jwks_url(cls, url: str | None) -> str | None:
        if url is None or not url.strip():
            return None
        if not url.startswith(("https://", "http://")):
            raise ValueError("must be an http(s) URL")
        return url

    @model_validator(mode="after")
    def _require_production_keys(self) -> Self:
        if self.environment == "production" and not (self.jwt_public_key or self.jwt_jwks_url):
            raise ValueError(
                "ENVIRONMENT=production takes no development tokens: set JWT_JWKS_URL "
                "(the directory's keys) or JWT_PUBLIC_KEY"
            )
        return self


# The directory (ConnectID look-ups) and the contacts service (lists) answer most of the
# platform's requests, and one Python process tops out below their targets on two cores
# (bench/README.md: 750-1,000 look-ups/s in one process, p99 < 10 ms at 1,000/s in two;
# bench/CONTACTS.md: lists p99 < 25 ms at 500/s in two), so they default to two processes,
# each keeping its pool's connections open (a connection opened under load costs a request
# several milliseconds; lowering DB_POOL_MAX below 10 there needs DB_POOL_MIN lowered too).
# The importer keeps one process: its phone checks have processes of their own.
READ_SERVICE_WORKERS = 2
READ_SERVICE_POOL_MIN = 10
# The invitations service runs two as well (its pools stay small): each process has its own
# delivery worker (they share SENDS_PER_SECOND), and an invite's way to its InvitationSent
# (send, record, relay) shares the process's event loop with the API. With two, an invite's
# event came at half the p99 of one at 200 writes/s, and 100,000 invitations drained at
# 1,464/s against 1,266 (bench/README.md, "Two invitations processes").
INVITATIONS_WORKERS = 2


class ServiceSettings(AuthSettings, KafkaConnectionSettings, TopicSettings, RetentionSettings):
    """The settings every service shares; subclasses set ``service_name`` and ``http_port``.
    The ``KAFKA_*`` connection ones are :class:`KafkaConnectionSettings`', the ``KAFKA_TOPIC_*``
    ones :class:`TopicSettings`', the ``*_RETENTION_*`` ones :class:`RetentionSettings`'."""

    service_name: str
    database_url: str = DEFAULT_DATABASE_URL
    db_schema: str = Field(default="", validate_default=True, description="default: SERVICE_NAME")
    db_pool_min: int = Field(default=1, ge=0)
    db_pool_max: int = Field(default=10, ge=1)
    db_migrate_on_start: bool = Field(
        default=True,
        description="DB_MIGRATE_ON_START: apply the migrations at start-up; false: only check "
        "that none is pending (a release's migration job applied them)",
    )
    kafka_namespace: str = Field(
        default="",
        pattern=r"^([a-z0-9][a-z0-9_-]{0,40})?$",
        description="KAFKA_NAMESPACE: prefix of every topic and consumer group (isolates tests)",
    )
    http_host: str = "127.0.0.1"
    http_port: int
    http_workers: int = Field(
        default=1,
        ge=1,
        le=64,
        description="HTTP_WORKERS: processes serving the port (each also runs the consumers)",
    )
    http_worker_healthcheck_seconds: int = Field(
        default=60,
        ge=1,
        le=600,
        description="HTTP_WORKER_HEALTHCHECK_SECONDS: with HTTP_WORKERS > 1, how long the "
        "supervisor waits for a worker to answer its health ping before it kills and replaces "
        "it; a worker starting on busy cores (importing the service takes seconds) needs more "
        "than uvicorn's 5 s",
    )
    http_keep_alive_seconds: int = Field(
        default=75,
        ge=1,
        le=3600,
        description="HTTP_KEEP_ALIVE_SECONDS: how long an idle client connection is kept open "
        "for its next request; longer than the clients' and proxies' own idle limits (httpx 5 s, "
        "aiohttp 15 s, ingress-nginx and cloud load balancers 60 s), so that they close first "
        "and never send a request on a connection the service is closing",
    )
    http_max_in_flight: int = Field(
        default=256,
        ge=1,
        description="HTTP_MAX_IN_FLIGHT: requests a process works on at once; more get 503",
    )
    http_max_body_bytes: int = Field(
        default=1024 * 1024,
        ge=1024,
        description="HTTP_MAX_BODY_BYTES: largest request body (413 above)",
    )
    http_max_header_bytes: int = Field(
        default=16 * 1024,
        ge=1024,
        description="HTTP_MAX_HEADER_BYTES: largest request line and headers together (431 above)",
    )
    http_max_headers: int = Field(
        default=100, ge=10, description="HTTP_MAX_HEADERS: most header fields (431 above)"
    )
    outbox_relay_process: bool = Field(
        default=False,
        description="OUTBOX_RELAY_PROCESS: the outbox relay in a process of its own, not in the"
        " service's event loop (the default of the importer, the contacts and the invitations"
        " service: see their settings)",
    )
    outbox_relay_linger_ms: float = Field(
        default=20, ge=0, le=1000,
        description="OUTBOX_RELAY_LINGER_MS: a relay woken by a commit claims no sooner than this"
        " after its previous claim (a steady flow goes in fewer, larger batches; an event after"
        " a quiet spell is claimed at once)",
    )  # fmt: skip
    log_level: str = "INFO"
    log_format: LogFormat = "auto"

    @property
    def http_max_upload_bytes(self) -> int:
        """Largest multipart upload; a service that takes files allows more."""
        return self.http_max_body_bytes

    # Subclasses redeclare service_name and http_port, which drops Field() constraints: so these
    # checks are validators, which apply by field name.
    @field_validator("service_name")
    @classmethod
    def _check_service_name(cls, name: str) -> str:
        if not name.strip():
            raise ValueError("must not be empty")
        return name

    @field_validator("http_port")
    @classmethod
    def _check_port(cls, port: int) -> int:
        if not 1 <= port <= 65535:
            raise ValueError("must be a TCP port between 1 and 65535")
        return port

    @field_validator("db_schema")
    @classmethod
    def _check_schema(cls, schema: str, info: ValidationInfo) -> str:
        if not schema:
            schema = str(info.data.get("service_name", ""))
        if not _SQL_IDENTIFIER.fullmatch(schema):
            raise ValueError(
                f"must be a safe SQL identifier matching {_SQL_IDENTIFIER.pattern} "
                "(defaults to SERVICE_NAME)"
            )
        return schema

    @field_validator("db_pool_max")
    @classmethod
    def _check_pool(cls, pool_max: int, info: ValidationInfo) -> int:
        pool_min = info.data.get("db_pool_min")
        if isinstance(pool_min, int) and pool_max < pool_min:
            raise ValueError(f"must be >= DB_POOL_MIN ({pool_min})")
        return pool_max

    @field_validator("log_level")
    @classmethod
    def _check_log_level(cls, level: str) -> str:
        level = level.strip().upper()
        if level not in logging.getLevelNamesMapping():
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return level
