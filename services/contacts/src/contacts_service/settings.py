"""Settings of the contacts service (environment variables; see contacts_servicekit.settings)."""

from contacts_servicekit.settings import (
    READ_SERVICE_POOL_MIN,
    READ_SERVICE_WORKERS,
    ServiceSettings,
)
from pydantic import Field


class ContactsSettings(ServiceSettings):
    service_name: str = "contacts"
    db_schema: str = "contacts"
    http_port: int = 8002
    # Lists are read far more than written: see READ_SERVICE_WORKERS.
    http_workers: int = Field(default=READ_SERVICE_WORKERS, ge=1, le=64)
    db_pool_min: int = Field(default=READ_SERVICE_POOL_MIN, ge=0)
    outbox_relay_process: bool = Field(
        default=True,
        description="OUTBOX_RELAY_PROCESS: the outbox relay in a process of its own, its"
        " batches out of the API's event loop (bench/README.md, write_to_event.py); false: in"
        " the service's process",
    )
