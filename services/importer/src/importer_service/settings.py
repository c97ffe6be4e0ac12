"""Settings of the importer service (environment variables; see contacts_servicekit.settings)."""

import os

import phonenumbers
from contacts_servicekit.settings import ServiceSettings
from pydantic import Field, field_validator


class ImporterSettings(ServiceSettings):
    service_name: str = "importer"
    db_schema: str = "importer"
    http_port: int = 8003
    import_max_bytes: int = Field(default=100 * 1024 * 1024, ge=1, description="IMPORT_MAX_BYTES")
    import_max_rows: int = Field(default=1_048_576, ge=1, description="IMPORT_MAX_ROWS")
    import_chunk_rows: int = Field(default=10_000, ge=1, description="IMPORT_CHUNK_ROWS")
    import_parse_processes: int = Field(
        default_factory=lambda: os.cpu_count() or 1, ge=1,
        description="IMPORT_PARSE_PROCESSES: processes checking a large chunk's numbers at once"
        " (1: in the service's own process); default: the machine's cores",
    )  # fmt: skip
    fallback_region: str = Field(
        default="GB",
        description="FALLBACK_REGION: when neither the request nor the user's number says",
    )

    @field_validator("fallback_region")
    @classmethod
    def _known_region(cls, region: str) -> str:
        if region.upper() not in phonenumbers.SUPPORTED_REGIONS:
            raise ValueError("must be an ISO 3166 alpha-2 region phonenumbers knows, e.g. FR")
        return region.upper()
