"""The sms and email channels, built from plain configuration values.

:class:`ChannelSettings` holds the variables (``SMS_PROVIDER``, ``SMTP_HOST``, ...; each field is
the variable's name in lower case) so that a service's settings can inherit it::

    class DirectorySettings(ServiceSettings, ChannelSettings): ...

    channels = channels_from_settings(settings, environment=settings.environment)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

from .base import Channel, ChannelName
from .dev_outbox import DevChannel
from .sms_http import HttpSmsChannel
from .smtp import SmtpChannel


class ChannelSettings(BaseModel):
    """How messages are delivered; ``dev`` (the default) writes them to a local file."""

    model_config = ConfigDict(frozen=True, extra="ignore", hide_input_in_errors=True)

    sms_provider: Literal["dev", "http"] = "dev"
    sms_base_url: str = Field(default="https://api.twilio.com", pattern=r"^https?://\S+$")
    sms_account_sid: str = ""
    sms_auth_token: SecretStr = SecretStr("")
    sms_sender_id: str = ""
    sms_status_callback_url: str | None = None
    email_provider: Literal["dev", "smtp"] = "dev"
    smtp_host: str = ""
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_sender: str = ""
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_use_tls: bool = False
    smtp_start_tls: bool = False
    dev_messages_dir: Path = Path("var/dev-messages")
    send_concurrency: int = Field(default=20, ge=1, le=1000)  # messages in flight at once

    @model_validator(mode="after")
    def _require_provider_settings(self) -> Self:
        """A real provider needs its address and credentials; name every missing variable."""
        missing: list[str] = []
        if self.sms_provider == "http":
            missing += [name for name, value in (
                ("SMS_ACCOUNT_SID", self.sms_account_sid),
                ("SMS_AUTH_TOKEN", self.sms_auth_token.get_secret_value()),
                ("SMS_SENDER_ID", self.sms_sender_id),
            ) if not value.strip()]  # fmt: skip
        if self.email_provider == "smtp":
            missing += [name for name, value in (
                ("SMTP_HOST", self.smtp_host), ("SMTP_SENDER", self.smtp_sender),
            ) if not value.strip()]  # fmt: skip
        if missing:
            raise ValueError(f"{', '.join(missing)} must be set for the chosen providers")
        if self.smtp_use_tls and self.smtp_start_tls:
            raise ValueError("SMTP_USE_TLS and SMTP_START_TLS are exclusive")
        return self


@dataclass(frozen=True)
class Channels:
    """The SMS channel and the email channel (one development channel may be both)."""

    sms: Channel
    email: Channel

    def get(self, channel: ChannelName) -> Channel:
        """The channel that sends ``sms`` or ``email`` messages."""
        return self.sms if channel == "sms" else self.email

    async def close(self) -> None:
        """Close each channel once."""
        await self.sms.close()
        if self.email is not self.sms:
            await self.email.close()


def _sms_channel(settings: ChannelSettings, dev: DevChannel) -> Channel:
    if settings.sms_provider == "dev":
        return dev
    return HttpSmsChannel(
        base_url=settings.sms_base_url,
        account_sid=settings.sms_account_sid,
        auth_token=settings.sms_auth_token.get_secret_value(),
        sender_id=settings.sms_sender_id,
        status_callback_url=settings.sms_status_callback_url or None,
        max_connections=settings.send_concurrency,
    )


def _email_channel(settings: ChannelSettings, dev: DevChannel) -> Channel:
    if settings.email_provider == "dev":
        return dev
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    return SmtpChannel(
        host=settings.smtp_host,
        port=settings.smtp_port,
        sender=settings.smtp_sender,
        username=settings.smtp_username or None,
        password=password or None,
        use_tls=settings.smtp_use_tls,
        start_tls=settings.smtp_start_tls,
    )


def channels_from_settings(
    settings: ChannelSettings, *, environment: str = "development"
) -> Channels:
    """The configured channels; the dev channel is refused when ``environment`` is production."""
    if environment == "production" and "dev" in (settings.sms_provider, settings.email_provider):
        raise ValueError("SMS_PROVIDER and EMAIL_PROVIDER must not be 'dev' in production")
    dev = DevChannel(settings.dev_messages_dir)
    return Channels(sms=_sms_channel(settings, dev), email=_email_channel(settings, dev))
