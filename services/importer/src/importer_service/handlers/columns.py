"""Which column holds what, as the person names them (by header): checked against the file's
headers, with a 422 naming the field at fault."""

from __future__ import annotations

from collections.abc import Mapping

from contacts_servicekit.domain_errors import Refused

from importer_service.adapters.sources.mapping import (
    LABELS,
    ColumnMapping,
    MappingError,
    validate_mapping,
)

MAPPED_FIELDS = tuple(LABELS)
"""phone, first_name, last_name, display_name, email, country"""


def mapping_by_headers(columns: Mapping[str, str | None], headers: list[str]) -> ColumnMapping:
    """The mapping of `columns` (field -> header; a field left out or None: no such column),
    checked: 422 naming the field whose header the file does not have, or `phone` when there
    is no phone column, or the field chosen on a column already taken."""

    def index(field: str) -> int | None:
        header = columns.get(field)
        if header is None:
            return None
        if header not in headers:
            listed = ", ".join(map(repr, headers))
            raise Refused(
                "unknown_column", f"There is no column {header!r}; the columns are: {listed}.",
                field,
            )  # fmt: skip
        return headers.index(header)

    return checked(ColumnMapping(**{field: index(field) for field in MAPPED_FIELDS}), headers)


def checked(mapping: ColumnMapping, headers: list[str]) -> ColumnMapping:
    """`mapping` when it fits `headers`; 422 naming `phone` (no phone column) or `mapping`."""
    try:
        validate_mapping(mapping, headers)
    except MappingError as error:
        field = "phone" if error.code == "no_phone_column" else "mapping"
        raise Refused(error.code, error.message, field) from None
    return mapping


def headers_of(mapping: dict[str, int | None] | None, headers: list[str]) -> dict[str, str | None]:
    """A stored mapping (field -> column index) as the person names it (field -> header)."""
    return {field: headers[index] if index is not None and index < len(headers) else None
            for field, index in (mapping or {}).items()}  # fmt: skip
