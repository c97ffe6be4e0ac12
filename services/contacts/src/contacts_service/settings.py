"""Settings of the contacts service (environment variables; see contacts_servicekit.settings)."""

from contacts_servicekit.settings import ServiceSettings


class ContactsSettings(ServiceSettings):
    service_name: str = "contacts"
    db_schema: str = "contacts"
    http_port: int = 8002
