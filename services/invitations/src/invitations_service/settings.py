"""Settings of the invitations service (environment variables; see contacts_servicekit.settings)."""

from contacts_servicekit.settings import ServiceSettings


class InvitationsSettings(ServiceSettings):
    service_name: str = "invitations"
    db_schema: str = "invitations"
    http_port: int = 8004
