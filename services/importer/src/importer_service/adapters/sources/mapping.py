"""Which column holds what: a guess from the headers, which the person may correct, and the
check of whatever mapping is finally chosen."""

from __future__ import annotations

from dataclasses import dataclass, fields

from importer_service.adapters.sources.header_words import AMBIGUOUS, classify

LABELS = {
    "phone": "phone",
    "first_name": "first name",
    "last_name": "last name",
    "display_name": "display name",
    "email": "email",
    "country": "country",
}
LISTED_HEADERS = 50


@dataclass
class ColumnMapping:
    """0-based column indexes in the table's headers; None: no such column."""

    phone: int | None = None
    first_name: int | None = None
    last_name: int | None = None
    display_name: int | None = None
    email: int | None = None
    country: int | None = None


class MappingError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def guess_mapping(headers: list[str]) -> ColumnMapping:
    """Each field's best-fitting column (a mobile phone column before any other phone column;
    the leftmost of equals); a column serves one field at most."""
    vcard_style = any(";TYPE=" in header.upper() or header.strip() == "FN" for header in headers)
    best: dict[str, tuple[int, int]] = {}  # field -> (score, -index)
    for index, header in enumerate(headers):
        found = classify(header, vcard_style)
        if found and (found[1], -index) > best.get(found[0], (0, 0)):
            best[found[0]] = (found[1], -index)
    chosen = {field: -rank[1] for field, rank in best.items()}
    _resolve_ambiguous(chosen)
    return ColumnMapping(**{field: chosen.get(field) for field in LABELS})


def _resolve_ambiguous(chosen: dict[str, int]) -> None:
    """ "Nom" beside "Prénom" is the last name, alone the full name; "Nombre" beside
    "Apellidos" is the first name, alone the full name."""
    for word, (partner, meaning) in AMBIGUOUS.items():
        index = chosen.pop(f"ambiguous:{word}", None)
        if index is None:
            continue
        field = meaning if partner in chosen and meaning not in chosen else "display_name"
        chosen.setdefault(field, index)


def validate_mapping(mapping: ColumnMapping, headers: list[str]) -> None:
    """Raise MappingError when there is no phone column, a column is not in the file, or one
    column is chosen for two fields."""
    if mapping.phone is None:
        raise MappingError(
            "no_phone_column", f"No phone column was recognised; {_listed(headers)}."
        )
    used: dict[int, str] = {}
    for field in fields(mapping):
        index = getattr(mapping, field.name)
        label = LABELS[field.name]
        if index is None:
            continue
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(headers):
            raise MappingError(
                "column_out_of_range",
                f"The {label} column is {index!r}, but the file's columns are numbered 0 to "
                f"{len(headers) - 1}.",
            )
        if index in used:
            raise MappingError(
                "column_used_twice",
                f'Column {index} ("{headers[index]}") is chosen as both the {used[index]} and '
                f"the {label} column.",
            )
        used[index] = label


def _listed(headers: list[str]) -> str:
    if not headers:
        return "the file has no columns"
    quoted = ", ".join(f'"{header}"' for header in headers[:LISTED_HEADERS])
    more = len(headers) - LISTED_HEADERS
    return f"the columns are: {quoted}" + (f" and {more} more" if more > 0 else "")


def has_phone_column(headers: list[str]) -> bool:
    """Whether one of `headers` reads as a phone column (a workbook's data sheet has one)."""
    return guess_mapping(headers).phone is not None
