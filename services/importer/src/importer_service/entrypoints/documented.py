"""The statuses each importer route can answer, for its OpenAPI `responses`.

The same shape as servicekit's `openapi_conventions.problems` and `created` (issue 15, built on
the `conventions` branch): once that is in main, these two give way to it, and the statuses
every route answers (401, 413, 422, 503) are added by the servicekit for every service.
"""

from __future__ import annotations

from typing import Any

from contacts_servicekit.errors import ErrorView

Responses = dict[int | str, dict[str, Any]]
DESCRIPTIONS = {
    401: "No valid credentials (`missing_token`, `invalid_token`), or the account is closed "
    "(`account_closed`)",
    404: "You have no import with this id (`import_not_found`)",
    409: "The request contradicts the import's state",
    413: "The file is larger than `IMPORT_MAX_BYTES` (`file_too_large`); nothing was imported",
    422: "Invalid input: `field` names it and the sentence says why",
    429: "Over the phone-matching quota (`rate_limited`): retry after `Retry-After` seconds",
    503: "At capacity (`overloaded`): retry after `Retry-After` seconds",
}
EVERY_ROUTE = (401, 422, 503)


def problems(*statuses: int | tuple[int, str]) -> Responses:
    """`responses=` for `statuses` (`(409, "why")` says it better than the default), plus the
    statuses every route answers: 401, 422 and 503."""
    declared: Responses = {}
    for entry in (*EVERY_ROUTE, *statuses):
        status, description = entry if isinstance(entry, tuple) else (entry, DESCRIPTIONS[entry])
        declared[status] = {"model": ErrorView, "description": description}
    return declared


def created(location: str, description: str = "Created") -> Responses:
    """The 201 of a route that creates an import, with the `Location` it answers."""
    header = {"description": f"the created resource: `{location}`", "schema": {"type": "string"}}
    return {201: {"description": description, "headers": {"Location": header}}}
