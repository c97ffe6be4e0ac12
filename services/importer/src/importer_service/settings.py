"""Settings of the importer service (environment variables; see contacts_servicekit.settings)."""

import phonenumbers
from contacts_servicekit.cpus import available_cpus
from contacts_servicekit.settings import ServiceSettings
from pydantic import Field, field_validator

from importer_service.domain.phone_engine import ENGINE_NAMES, RUST

IMPORT_RETENTION_FLOOR_DAYS = 1
"""An owner must be able to download the results of an import that just finished, and to come
back the next day to an upload left waiting for its columns."""


class ImporterSettings(ServiceSettings):
    service_name: str = "importer"
    db_schema: str = "importer"
    http_port: int = 8003
    import_max_bytes: int = Field(default=100 * 1024 * 1024, ge=1, description="IMPORT_MAX_BYTES")
    import_max_rows: int = Field(default=1_048_576, ge=1, description="IMPORT_MAX_ROWS")
    http_max_body_bytes: int = Field(
        default=8 * 1024 * 1024,
        ge=1024,
        description="HTTP_MAX_BODY_BYTES: a JSON body (pasted numbers: up to 2,000,000 characters)",
    )
    phone_match_burst: int = Field(
        default=1_048_576, ge=1, description="PHONE_MATCH_BURST: numbers a user may match at once"
    )
    phone_match_per_hour: float = Field(
        default=1_048_576, gt=0, description="PHONE_MATCH_PER_HOUR: numbers regained per hour"
    )
    import_max_cells: int = Field(
        default=8 * 1_048_576, ge=1,
        description="IMPORT_MAX_CELLS: rows x columns of a workbook's sheet (422 above)",
    )  # fmt: skip
    import_max_cell_chars: int = Field(
        default=1000, ge=1, description="IMPORT_MAX_CELL_CHARS: longer cells fail their row"
    )
    import_parse_max_mb: int = Field(
        default=2048, ge=64,
        description="IMPORT_PARSE_MAX_MB: memory a worker reading one file may use",
    )  # fmt: skip
    import_parse_seconds: int = Field(
        default=120, ge=1, description="IMPORT_PARSE_SECONDS: CPU time a worker may use on a file"
    )
    import_parse_workers: int = Field(
        default=2, ge=1, description="IMPORT_PARSE_WORKERS: files read at once (others wait)"
    )
    import_chunk_rows: int = Field(
        default=20_000, ge=1,
        description="IMPORT_CHUNK_ROWS: rows per work item at most (20,000: bench/IMPORTER.md)",
    )  # fmt: skip
    import_chunks_in_flight: int | None = Field(
        default=None, ge=1,
        description="IMPORT_CHUNKS_IN_FLIGHT: an import's work items queued at once per pass"
        " (default: KAFKA_TOPIC_WORK_PARTITIONS, one per partition of the work topic)",
    )  # fmt: skip
    import_express_rows: int = Field(
        default=1000, ge=0,
        description="IMPORT_EXPRESS_ROWS: imports of at most this many rows take the express"
        " lane (importer.express.work), never queued behind a larger import's chunks",
    )  # fmt: skip
    import_parse_processes: int = Field(
        default_factory=available_cpus, ge=1,
        description="IMPORT_PARSE_PROCESSES: processes sharing a large chunk's work per row (its"
        " numbers' checks, then its statuses and events) at once (1: in the service's own"
        " process); default: the CPUs the container's limit allows",
    )  # fmt: skip
    import_workers_at_start: bool = Field(
        default=True,
        description="IMPORT_WORKERS_AT_START: start the IMPORT_PARSE_PROCESSES chunk workers (a"
        " fork server, then the workers: seconds of CPU) in the background as the service"
        " starts, so that its first large import does not wait for them; false: when an"
        " import first needs them (the tests' many short-lived importers)",
    )
    import_steps_in_flight: int = Field(
        default=2, ge=1, le=8,
        description="IMPORT_STEPS_IN_FLIGHT: chunk steps one process runs at once (one's Python"
        " while others wait for Postgres or the workers); 1: one after the other (2:"
        " bench/IMPORTER.md)",
    )  # fmt: skip
    import_progress_poll_seconds: float = Field(
        default=0.5, gt=0, le=60,
        description="IMPORT_PROGRESS_POLL_SECONDS: how often a progress stream reads its import",
    )  # fmt: skip
    import_progress_heartbeat_seconds: float = Field(
        default=15, gt=0, le=300,
        description="IMPORT_PROGRESS_HEARTBEAT_SECONDS: a comment on a quiet progress stream",
    )  # fmt: skip
    import_retention_days: float = Field(
        default=30,
        description="IMPORT_RETENTION_DAYS: how long a finished import keeps its rows and file, "
        f"and an upload may wait for its owner (at least {IMPORT_RETENTION_FLOOR_DAYS})",
    )
    import_phone_engine: str = Field(
        default=RUST,
        description="IMPORT_PHONE_ENGINE: rphonenumbers (phonenumbers' API on a Rust engine) or"
        " phonenumbers; rphonenumbers is used only when its metadata is not older than"
        " phonenumbers' (see domain/phone_engine.py)",
    )
    outbox_relay_process: bool = Field(
        default=True,
        description="OUTBOX_RELAY_PROCESS: the outbox relay in a process of its own (an import's"
        " million events no longer share the event loop with its chunk steps:"
        " bench/IMPORTER.md); false: in the service's process",
    )
    fallback_region: str = Field(
        default="GB",
        description="FALLBACK_REGION: when neither the request nor the user's number says",
    )

    @property
    def http_max_upload_bytes(self) -> int:
        """An upload may carry the largest file plus its multipart framing."""
        return self.import_max_bytes + 64 * 1024

    @field_validator("import_retention_days")
    @classmethod
    def _keeps_a_day(cls, days: float) -> float:
        if days < IMPORT_RETENTION_FLOOR_DAYS:
            raise ValueError(
                f"must be at least {IMPORT_RETENTION_FLOOR_DAYS} day: an owner must still be able "
                "to download the results of an import that just finished, and to finish the next "
                "day an upload left waiting for its columns"
            )
        return days

    @field_validator("import_phone_engine")
    @classmethod
    def _known_engine(cls, name: str) -> str:
        if name not in ENGINE_NAMES:
            raise ValueError(f"must be one of {', '.join(ENGINE_NAMES)}")
        return name

    @field_validator("fallback_region")
    @classmethod
    def _known_region(cls, region: str) -> str:
        if region.upper() not in phonenumbers.SUPPORTED_REGIONS:
            raise ValueError("must be an ISO 3166 alpha-2 region phonenumbers knows, e.g. FR")
        return region.upper()
