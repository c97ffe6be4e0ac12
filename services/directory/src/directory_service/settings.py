"""Settings of the directory service (environment variables; see contacts_servicekit.settings)."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from pathlib import Path
from typing import Self

from contacts_channels import ChannelSettings
from contacts_servicekit.settings import (
    READ_SERVICE_POOL_MIN,
    READ_SERVICE_WORKERS,
    ServiceSettings,
)
from pydantic import Field, SecretStr, field_validator, model_validator

from directory_service.domain.credentials import SessionRules
from directory_service.domain.one_time_codes import CodeRules

DEV_AUTH_SECRET = "development-only-auth-secret-do-not-use-in-production"  # noqa: S105 - public
MIN_AUTH_SECRET_BYTES = 32


class DirectorySettings(ServiceSettings, ChannelSettings):  # type: ignore[misc]  # both model_configs merge at runtime
    """The shared settings, the channels' (contacts_channels.ChannelSettings) and these."""

    service_name: str = "directory"
    db_schema: str = "directory"
    http_port: int = 8001
    # ConnectID look-ups are the platform's busiest path: see READ_SERVICE_WORKERS.
    http_workers: int = Field(default=READ_SERVICE_WORKERS, ge=1, le=64)
    db_pool_min: int = Field(default=READ_SERVICE_POOL_MIN, ge=0)
    lookup_burst: int = Field(default=30, ge=1, description="LOOKUP_BURST: look-ups at once")
    lookup_per_minute: float = Field(
        default=10, gt=0, description="LOOKUP_PER_MINUTE: look-ups regained per minute"
    )
    membership_offer_days: int = Field(
        default=30, ge=1, le=365, description="MEMBERSHIP_OFFER_DAYS: until an offer expires"
    )
    auth_secret: SecretStr = Field(
        default=SecretStr(DEV_AUTH_SECRET),
        description="AUTH_SECRET: keys the codes' HMAC and encrypts the signing keys",
    )
    access_token_minutes: float = Field(default=15, gt=0, le=60)
    refresh_token_days: float = Field(default=30, gt=0)
    session_days: float = Field(default=90, gt=0)
    code_minutes: float = Field(default=5, gt=0, le=30)
    code_attempts: int = Field(default=5, ge=1, le=10)
    codes_per_number_burst: int = Field(default=3, ge=1)
    codes_per_number_per_hour: float = Field(default=6, gt=0)
    codes_per_address_burst: int = Field(default=20, ge=1)
    codes_per_address_per_hour: float = Field(default=60, gt=0)
    sign_in_attempts_per_address_burst: int = Field(default=30, ge=1)
    sign_in_attempts_per_address_per_hour: float = Field(default=120, gt=0)
    service_clients: SecretStr = Field(
        default=SecretStr(""),
        description="SERVICE_CLIENTS: id:secret,id:secret of the backends with role service",
    )
    dev_messages_dir: Path = Field(
        default=Path("/var/tmp/contacts-platform/messages"),  # noqa: S108 - the local platform's state
        description="DEV_MESSAGES_DIR: where the dev channel writes the codes",
    )

    @field_validator("service_clients")
    @classmethod
    def _check_clients(cls, clients: SecretStr) -> SecretStr:
        for entry in filter(None, clients.get_secret_value().split(",")):
            client_id, _, secret = entry.strip().partition(":")
            if not client_id or len(secret) < MIN_AUTH_SECRET_BYTES:
                raise ValueError(
                    f"each entry is id:secret with a secret of {MIN_AUTH_SECRET_BYTES}+ bytes"
                )
        return clients

    @model_validator(mode="after")
    def _refuse_development_secret_in_production(self) -> Self:
        secret = self.auth_secret.get_secret_value()
        if self.environment == "production" and (
            secret == DEV_AUTH_SECRET or len(secret.encode()) < MIN_AUTH_SECRET_BYTES
        ):
            raise ValueError(
                f"AUTH_SECRET must be set to {MIN_AUTH_SECRET_BYTES}+ random bytes in production"
            )
        return self

    def derived_key(self, purpose: str) -> bytes:
        """A key of its own for each use of AUTH_SECRET (``codes``, ``signing-keys``)."""
        secret = self.auth_secret.get_secret_value().encode()
        return hmac.new(secret, f"contacts-directory/{purpose}".encode(), hashlib.sha256).digest()

    def service_client_secrets(self) -> dict[str, str]:
        entries = filter(None, self.service_clients.get_secret_value().split(","))
        return dict(entry.strip().partition(":")[::2] for entry in entries)

    def code_rules(self) -> CodeRules:
        return CodeRules(timedelta(minutes=self.code_minutes), self.code_attempts)

    def session_rules(self) -> SessionRules:
        return SessionRules(
            access_lifetime=timedelta(minutes=self.access_token_minutes),
            refresh_lifetime=timedelta(days=self.refresh_token_days),
            session_lifetime=timedelta(days=self.session_days),
        )
