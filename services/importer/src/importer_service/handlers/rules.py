"""What the importer's use cases take from the settings, built once when the app starts."""

from __future__ import annotations

from dataclasses import dataclass

from importer_service.adapters.match_quota import MatchQuota
from importer_service.adapters.work_queue import Chunking
from importer_service.domain.retention import ImportRetention
from importer_service.settings import ImporterSettings


@dataclass(frozen=True)
class ImportRules:
    fallback_region: str  # when neither the request nor the owner's number gives one
    quota: MatchQuota  # numbers an owner may match against the registered users
    chunking: Chunking  # how the pipeline cuts an import into work items
    retention: ImportRetention  # how long a finished import keeps its rows and file

    @classmethod
    def of(cls, settings: ImporterSettings) -> ImportRules:
        quota = MatchQuota(settings.phone_match_burst, settings.phone_match_per_hour)
        partitions = settings.kafka_topic_work_partitions
        chunking = Chunking(
            settings.import_chunk_rows, partitions,
            window=settings.import_chunks_in_flight or partitions,
            express_rows=settings.import_express_rows,
        )  # fmt: skip
        retention = ImportRetention(settings.import_retention_days)
        return cls(settings.fallback_region, quota, chunking, retention)
