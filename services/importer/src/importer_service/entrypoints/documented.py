"""The statuses each importer route can answer, for its OpenAPI `responses`: servicekit's
`problems` and `created` (the statuses every route answers, 401, 413, 422 and 503, are added
for every service), with the importer's own words for its 404, 413 and 429, and its 410."""

from __future__ import annotations

from contacts_servicekit.openapi_conventions import Responses, created
from contacts_servicekit.openapi_conventions import problems as _problems

__all__ = ["ROWS_PURGED", "created", "problems"]

ROWS_PURGED = (
    410,
    "The import finished longer ago than `IMPORT_RETENTION_DAYS`: its rows and files were "
    "deleted (`import_rows_purged`); the import and its counts are still there",
)

_IMPORTER_WORDS = {
    404: "You have no import with this id (`import_not_found`)",
    413: "The file is larger than `IMPORT_MAX_BYTES` (`file_too_large`); nothing was imported",
    429: "Over the phone-matching quota (`rate_limited`): retry after `Retry-After` seconds "
    "(RateLimit-Policy, RateLimit)",
}


def problems(*statuses: int | tuple[int, str]) -> Responses:
    """`responses=` for a route's own statuses; `(409, "why")` says it better than the default."""
    return _problems(
        *(
            (s, _IMPORTER_WORDS[s]) if isinstance(s, int) and s in _IMPORTER_WORDS else s
            for s in statuses
        )
    )
