"""Settings of the invitations service (environment variables; see contacts_servicekit.settings)."""

from datetime import timedelta

from contacts_servicekit.settings import ServiceSettings
from pydantic import Field

from invitations_service.domain.policy import Policy


class InvitationsSettings(ServiceSettings):
    service_name: str = "invitations"
    db_schema: str = "invitations"
    http_port: int = 8004
    invitation_expiry_days: int = Field(default=30, ge=1, description="INVITATION_EXPIRY_DAYS")
    resend_cooldown_minutes: float = Field(default=10, ge=0, description="RESEND_COOLDOWN_MINUTES")
    destination_daily_cap: int = Field(default=5, ge=1, description="DESTINATION_DAILY_CAP")
    inviter_daily_cap: int = Field(default=200, ge=1, description="INVITER_DAILY_CAP")
    sends_per_second: float = Field(default=20, gt=0, description="SENDS_PER_SECOND, per worker")
    delivery_lease_seconds: float = Field(
        default=120,
        gt=0,
        description="DELIVERY_LEASE_SECONDS: a send not recorded by then is retried",
    )
    invite_link_base: str = Field(default="http://127.0.0.1:8004", description="INVITE_LINK_BASE")
    sms_provider: str = Field(default="dev", pattern="^(dev|http)$", description="SMS_PROVIDER")
    sms_base_url: str = "http://127.0.0.1:8099"
    sms_account_sid: str = "dev-account"
    sms_auth_token: str = "dev-token"  # noqa: S105 - a development default
    sms_sender_id: str = "Contacts"
    email_provider: str = Field(default="dev", pattern="^(dev|smtp)$", description="EMAIL_PROVIDER")
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_sender: str = "invitations@contacts.invalid"
    smtp_username: str | None = None
    smtp_password: str | None = None
    dev_messages_dir: str = Field(
        default="/var/tmp/contacts-platform/messages",  # noqa: S108 - the local platform's state dir
        description="DEV_MESSAGES_DIR: the dev channel's folder",
    )

    def policy(self) -> Policy:
        return Policy(
            expiry=timedelta(days=self.invitation_expiry_days),
            resend_cooldown=timedelta(minutes=self.resend_cooldown_minutes),
            destination_daily_cap=self.destination_daily_cap,
            inviter_daily_cap=self.inviter_daily_cap,
        )
