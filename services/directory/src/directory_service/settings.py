"""Settings of the directory service (environment variables; see contacts_servicekit.settings)."""

from contacts_servicekit.settings import ServiceSettings
from pydantic import Field


class DirectorySettings(ServiceSettings):
    service_name: str = "directory"
    db_schema: str = "directory"
    http_port: int = 8001
    lookup_burst: int = Field(default=30, ge=1, description="LOOKUP_BURST: look-ups at once")
    lookup_per_minute: float = Field(
        default=10, gt=0, description="LOOKUP_PER_MINUTE: look-ups regained per minute"
    )
    membership_offer_days: int = Field(
        default=30, ge=1, le=365, description="MEMBERSHIP_OFFER_DAYS: until an offer expires"
    )
