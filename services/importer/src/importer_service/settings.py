"""Settings of the importer service (environment variables; see contacts_servicekit.settings)."""

from contacts_servicekit.settings import ServiceSettings


class ImporterSettings(ServiceSettings):
    service_name: str = "importer"
    db_schema: str = "importer"
    http_port: int = 8003
