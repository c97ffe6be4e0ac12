"""Where the platform's services answer, and how patiently to talk to them.

Read from the environment (prefix ``CONTACTS_``): ``CONTACTS_DIRECTORY_URL``,
``CONTACTS_CONTACTS_URL``, ``CONTACTS_IMPORTER_URL``, ``CONTACTS_INVITATIONS_URL`` for each
service, or ``CONTACTS_BASE_URL`` when one gateway serves all four paths. The defaults are the
local platform's (``make up``: ports 8001 to 8004).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

Service = Literal["directory", "contacts", "importer", "invitations"]
SERVICES: tuple[Service, ...] = ("directory", "contacts", "importer", "invitations")


class PlatformSettings(BaseSettings):
    """The addresses of the four services (or of one gateway) and the HTTP timeout."""

    model_config = SettingsConfigDict(env_prefix="CONTACTS_", extra="ignore")

    directory_url: str = "http://127.0.0.1:8001"
    contacts_url: str = "http://127.0.0.1:8002"
    importer_url: str = "http://127.0.0.1:8003"
    invitations_url: str = "http://127.0.0.1:8004"
    base_url: str | None = Field(
        default=None, description="One gateway for every service: wins over the four URLs"
    )
    timeout_seconds: float = Field(default=60.0, gt=0, description="Per request, each attempt")

    def url_of(self, service: Service) -> str:
        """The address requests for ``service`` go to (no trailing slash)."""
        url: str = self.base_url or getattr(self, f"{service}_url")
        return url.rstrip("/")
