"""Settings of the web app (environment variables; see contacts_servicekit.settings).

The addresses of the four services are the typed client's settings (`CONTACTS_DIRECTORY_URL`,
..., see libs/client/README.md)."""

from __future__ import annotations

from functools import cached_property

from contacts_client import PlatformSettings
from contacts_servicekit.settings import ServiceSettings
from pydantic import Field


class WebSettings(ServiceSettings):
    service_name: str = "web"
    db_schema: str = "web"
    http_port: int = 8000
    http_max_body_bytes: int = 64 * 1024  # forms; files have their own limit below
    upload_max_bytes: int = Field(
        default=100 * 1024 * 1024,
        ge=1024,
        description="UPLOAD_MAX_BYTES: largest list file a browser may send (413 above)",
    )
    session_days: int = Field(
        default=30, ge=1, le=365, description="SESSION_DAYS: a signed-in browser stays signed in"
    )
    cookie_secure: bool | None = Field(
        default=None,
        description="COOKIE_SECURE: cookies only over HTTPS; default true outside development",
    )
    public_origin: str | None = Field(
        default=None,
        pattern=r"^https?://[^/]+$",
        description="PUBLIC_ORIGIN: e.g. https://contacts.example.com behind a proxy (CSRF check)",
    )

    @property
    def http_max_upload_bytes(self) -> int:
        return self.upload_max_bytes

    @property
    def secure_cookies(self) -> bool:
        if self.cookie_secure is not None:
            return self.cookie_secure
        return self.environment != "development"

    @cached_property
    def platform(self) -> PlatformSettings:
        """Where the four services answer (CONTACTS_*_URL); read once (every signed-in request
        asks, and reading the environment again cost 0.8 ms a page)."""
        return PlatformSettings()
