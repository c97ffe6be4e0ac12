"""Channels built from configuration values, and the settings that hold them."""

from __future__ import annotations

from pathlib import Path

import pytest
from contacts_channels import (
    ChannelSettings,
    DevChannel,
    HttpSmsChannel,
    SmtpChannel,
    channels_from_settings,
)
from contacts_servicekit.settings import ServiceSettings, SettingsError
from pydantic import ValidationError

pytestmark = pytest.mark.unit


class _Settings(ServiceSettings, ChannelSettings):
    """How the service's settings embed the channel settings."""

    service_name: str = "example"
    http_port: int = 8099


async def test_the_default_is_one_dev_channel_for_both_kinds(tmp_path: Path) -> None:
    channels = channels_from_settings(ChannelSettings(dev_messages_dir=tmp_path))
    assert isinstance(channels.sms, DevChannel)
    assert channels.email is channels.sms
    assert channels.sms.path == tmp_path / "messages.jsonl"
    await channels.close()


async def test_real_providers_are_built_from_their_variables() -> None:
    settings = ChannelSettings(
        sms_provider="http", sms_base_url="http://127.0.0.1:9/", sms_account_sid="AC1",
        sms_auth_token="token", sms_sender_id="Contacts", email_provider="smtp",
        smtp_host="127.0.0.1", smtp_port=2525, smtp_sender="codes@example.com",
    )  # fmt: skip
    channels = channels_from_settings(settings, environment="production")
    assert isinstance(channels.get("sms"), HttpSmsChannel)
    assert isinstance(channels.get("email"), SmtpChannel)
    await channels.close()


def test_a_real_provider_without_its_variables_names_them() -> None:
    with pytest.raises(ValidationError, match="SMS_AUTH_TOKEN, SMS_SENDER_ID, SMTP_SENDER"):
        ChannelSettings(sms_provider="http", sms_account_sid="AC1", email_provider="smtp",
                        smtp_host="mail")  # fmt: skip


def test_the_dev_channel_is_refused_in_production() -> None:
    with pytest.raises(ValueError, match="must not be 'dev' in production"):
        channels_from_settings(ChannelSettings(), environment="production")


def test_service_settings_read_the_variables_by_their_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SMS_PROVIDER", "http")
    monkeypatch.setenv("SMS_ACCOUNT_SID", "AC9")
    monkeypatch.setenv("SMS_AUTH_TOKEN", "t0k3n")
    monkeypatch.setenv("SMS_SENDER_ID", "+15005550006")
    monkeypatch.setenv("SMTP_PORT", "465")
    monkeypatch.setenv("DEV_MESSAGES_DIR", "var/invites")
    settings = _Settings.load()
    assert (settings.sms_provider, settings.sms_account_sid, settings.smtp_port) == (
        "http", "AC9", 465,
    )  # fmt: skip
    assert settings.sms_auth_token.get_secret_value() == "t0k3n"
    assert settings.dev_messages_dir == Path("var/invites")
    assert settings.service_name == "example"


def test_service_settings_explain_a_bad_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EMAIL_PROVIDER", "carrier-pigeon")
    monkeypatch.setenv("SMTP_PASSWORD", "do-not-echo-me")
    with pytest.raises(SettingsError, match="EMAIL_PROVIDER") as raised:
        _Settings.load()
    assert "do-not-echo-me" not in str(raised.value)
