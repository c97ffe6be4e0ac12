"""Settings of the directory service (environment variables; see contacts_servicekit.settings)."""

from contacts_servicekit.settings import ServiceSettings


class DirectorySettings(ServiceSettings):
    service_name: str = "directory"
    db_schema: str = "directory"
    http_port: int = 8001
