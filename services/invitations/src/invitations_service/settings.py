"""Settings of the invitations service (environment variables; see contacts_servicekit.settings)."""

from datetime import timedelta
from pathlib import Path

from contacts_channels import ChannelSettings
from contacts_servicekit.settings import INVITATIONS_WORKERS, ServiceSettings
from pydantic import Field

from invitations_service.domain.policy import Policy


class InvitationsSettings(ServiceSettings, ChannelSettings):  # type: ignore[misc]  # both model_configs merge at runtime
    """The shared settings, the channels' (contacts_channels.ChannelSettings) and these."""

    service_name: str = "invitations"
    db_schema: str = "invitations"
    http_port: int = 8004
    # An invite's path after its answer crosses the delivery worker, its recorder and the
    # relay, each sharing its process's one event loop with the API: see INVITATIONS_WORKERS.
    http_workers: int = Field(default=INVITATIONS_WORKERS, ge=1, le=64)
    outbox_relay_process: bool = Field(
        default=True,
        description="OUTBOX_RELAY_PROCESS: the outbox relay in a process of its own, out of the"
        " event loop the API, the delivery worker and its recorder share (bench/README.md,"
        " write_to_event.py); false: in the service's process",
    )
    invitation_expiry_days: int = Field(default=30, ge=1, description="INVITATION_EXPIRY_DAYS")
    resend_cooldown_minutes: float = Field(default=10, ge=0, description="RESEND_COOLDOWN_MINUTES")
    destination_daily_cap: int = Field(default=5, ge=1, description="DESTINATION_DAILY_CAP")
    inviter_daily_cap: int = Field(default=200, ge=1, description="INVITER_DAILY_CAP")
    country_allow_list: bool = Field(
        default=True,
        description="COUNTRY_ALLOW_LIST: SMS go only to the countries the inviter's tenant allows",
    )
    sends_per_second: float = Field(
        default=20,
        gt=0,
        description="SENDS_PER_SECOND: the provider's rate, shared by every delivery worker of "
        "the service (one per process), across their concurrent sends",
    )
    delivery_lease_seconds: float = Field(
        default=120,
        gt=0,
        description="DELIVERY_LEASE_SECONDS: a send not recorded by then is retried",
    )
    delivery_handover: bool = Field(
        default=True,
        description="DELIVERY_HANDOVER: the message of an invite or resend through the API is "
        "claimed for this process's delivery worker in the request's transaction and handed to "
        "it at the commit (false: queued, and the worker finds it at its next poll, within 0.5 s)",
    )
    delivery_claim_linger_ms: float = Field(
        default=20,
        ge=0,
        description="DELIVERY_CLAIM_LINGER_MS: a woken delivery worker (it gave messages back to "
        "the queue) claims no sooner than this after its previous claim",
    )
    failed_request_retention_days: float = Field(
        default=30,
        ge=1,
        description="FAILED_REQUEST_RETENTION_DAYS: how long a request that failed on its own is "
        "kept in invitation_requests with its error, for an operator to look into",
    )
    invite_link_base: str = Field(default="http://127.0.0.1:8004", description="INVITE_LINK_BASE")
    dev_messages_dir: Path = Field(
        default=Path("/var/tmp/contacts-platform/messages"),  # noqa: S108 - the local platform's state
        description="DEV_MESSAGES_DIR: where the dev channel writes the messages",
    )

    @property
    def status_callback_url(self) -> str:
        """Where the SMS provider posts delivery statuses (signed with SMS_AUTH_TOKEN)."""
        return self.sms_status_callback_url or f"{self.invite_link_base.rstrip('/')}/v1/sms/status"

    def policy(self) -> Policy:
        return Policy(
            expiry=timedelta(days=self.invitation_expiry_days),
            resend_cooldown=timedelta(minutes=self.resend_cooldown_minutes),
            destination_daily_cap=self.destination_daily_cap,
            inviter_daily_cap=self.inviter_daily_cap,
            country_allow_list=self.country_allow_list,
        )
