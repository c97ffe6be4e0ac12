"""The bad-input corpus: each request, sent by the owner of the data, with the exact refusal
expected (status, error code, the field named). Placeholders `{...}` are the owner's ids."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .hostile_files import (
    BYTES_OVER,
    PDF,
    PNG,
    ROWS_OVER,
    many_columns,
    plain_zip,
    xlsx_bomb,
)

MIB = 1024 * 1024


@dataclass(frozen=True)
class Refused:
    service: str
    method: str
    path: str
    status: int
    error: str
    field: str | None
    request: dict[str, Any] = field(default_factory=dict)  # httpx keyword arguments
    staff: bool = False


def upload(name: str, content: bytes) -> dict[str, Any]:
    return {"files": {"file": (name, content)}}


def json_of(size: int, key: str = "text") -> dict[str, Any]:
    """A JSON body of exactly `size` bytes."""
    wrapper = f'{{"{key}":""}}'
    body = f'{{"{key}":"{"1" * (size - len(wrapper))}"}}'
    return {"content": body.encode(), "headers": {"Content-Type": "application/json"}}


NOT_UTF8 = {
    "content": b'{"text": "\xff\xfe06 12"}',
    "headers": {"Content-Type": "application/json"},
}
FILES, PASTED = "/v1/imports/files", "/v1/imports/pasted"

CORPUS: dict[str, Refused] = {
    # malformed lists
    "csv: unbalanced quotes": Refused("importer", "POST", FILES, 422, "unbalanced_quotes", "file",
                                      upload("l.csv", b'Mobile,Name\n"+447400100001,Ada\n+447400100002,Bob\n')),
    "csv: empty file": Refused("importer", "POST", FILES, 422, "empty_file", "file", upload("l.csv", b"")),
    "csv: only blank lines": Refused("importer", "POST", FILES, 422, "empty_file", "file", upload("l.csv", b"\r\n \r\n")),
    "csv: header only": Refused("importer", "POST", FILES, 422, "no_rows", "file", upload("l.csv", b"Mobile,Name\n")),
    "csv: 10,000 columns": Refused("importer", "POST", FILES, 422, "too_many_columns", "file",
                                   upload("l.csv", many_columns(10_000))),
    # renamed binaries and archives
    "PNG named .csv": Refused("importer", "POST", FILES, 422, "content_mismatch", "file", upload("l.csv", PNG)),
    "PDF named .xlsx": Refused("importer", "POST", FILES, 422, "content_mismatch", "file", upload("l.xlsx", PDF)),
    "ZIP (no workbook) named .xlsx": Refused("importer", "POST", FILES, 422, "content_mismatch", "file",
                                             upload("l.xlsx", plain_zip())),
    "xlsx zip bomb (1,000 to 1)": Refused("importer", "POST", FILES, 422, "archive_too_large", "file",
                                          upload("l.xlsx", xlsx_bomb())),
    "an .exe": Refused("importer", "POST", FILES, 422, "unsupported_extension", "file", upload("l.exe", b"MZ\x90\x00")),
    # one over each limit (64 KB, 20 rows in these tests; the at-limit files pass: see the test)
    "file: 1 row over the limit": Refused("importer", "POST", FILES, 422, "too_many_rows", "file", upload("l.csv", ROWS_OVER)),
    "file: 1 byte over the limit": Refused("importer", "POST", FILES, 413, "file_too_large", "file", upload("l.csv", BYTES_OVER)),
    "pasted: 1 number over the limit": Refused("importer", "POST", PASTED, 422, "too_many_rows", "text",
                                               {"json": {"text": ",".join(f"+4474001{n:05d}" for n in range(21))}}),
    "pasted: separators only": Refused("importer", "POST", PASTED, 422, "no_numbers", "text", {"json": {"text": " ,;\t\n"}}),
    "pasted: JSON not UTF-8": Refused("importer", "POST", PASTED, 422, "invalid_body", "body", NOT_UTF8),
    "pasted: JSON 1 byte over 8 MiB": Refused("importer", "POST", PASTED, 413, "body_too_large", "body", json_of(8 * MIB + 1)),
    "rows: a cursor the API did not make": Refused("importer", "GET", "/v1/imports/{import_id}/rows", 422, "bad_cursor",
                                                   "cursor", {"params": {"cursor": "Wy0xXQ"}}),
    # oversized JSON bodies on the other services (1 MiB)
    "directory: JSON 1 byte over 1 MiB": Refused("directory", "PATCH", "/v1/users/me", 413, "body_too_large", "body",
                                                 json_of(MIB + 1, "display_name")),
    "contacts: JSON 1 byte over 1 MiB": Refused("contacts", "POST", "/v1/contacts", 413, "body_too_large", "body",
                                                json_of(MIB + 1, "connect_id")),
    "invitations: JSON 1 byte over 1 MiB": Refused("invitations", "POST", "/v1/invitations", 413, "body_too_large", "body",
                                                   json_of(MIB + 1, "name")),
    # hostile names
    "name: 10 KB": Refused("directory", "PATCH", "/v1/users/me", 422, "invalid_request", "display_name",
                           {"json": {"display_name": "A" * 10_240}}),
    "name: control characters": Refused("directory", "PATCH", "/v1/users/me", 422, "name_control_characters", "display_name",
                                        {"json": {"display_name": "Ada\x1b[31m"}}),
    "name: NUL": Refused("directory", "PATCH", "/v1/users/me", 422, "invalid_character", "display_name",
                         {"json": {"display_name": "Ada\x00"}}),
    "name: only invisible characters": Refused("directory", "PATCH", "/v1/users/me", 422, "name_empty", "display_name",
                                               {"json": {"display_name": "\u200b\u202e\ufeff"}}),
    "name: only spaces": Refused("directory", "PATCH", "/v1/users/me", 422, "name_empty", "display_name",
                                 {"json": {"display_name": " \u00a0 "}}),
    "invitee name: 10 KB": Refused("invitations", "POST", "/v1/invitations", 422, "invalid_request", "name",
                                   {"json": {"phone": "+447400100009", "name": "A" * 10_240}}),
    "invitee name: NUL": Refused("invitations", "POST", "/v1/invitations", 422, "invalid_character", "name",
                                 {"json": {"phone": "+447400100009", "name": "Ada\x00"}}),
    "invitee name: control characters": Refused("invitations", "POST", "/v1/invitations", 422, "name_control_characters",
                                                "name", {"json": {"phone": "+447400100009", "name": "Ada\x1b[31m"}}),
    # phone numbers
    "new phone: look-alike letters": Refused("directory", "POST", "/v1/users/me/verifications", 422, "phone_unparseable", "phone",
                                                 {"json": {"phone": "+44 74OO l23456"}}),
    "new phone: extension": Refused("directory", "POST", "/v1/users/me/verifications", 422, "phone_has_extension", "phone",
                                        {"json": {"phone": "+447400123456 ext. 12"}}),
    "invitee phone: look-alike letters": Refused("invitations", "POST", "/v1/invitations", 422, "phone_unparseable", "phone",
                                                 {"json": {"phone": "+44 74OO l23456"}}),
    "invitee phone: extension": Refused("invitations", "POST", "/v1/invitations", 422, "phone_has_extension", "phone",
                                        {"json": {"phone": "+447400123456;ext=12"}}),
    # malformed ConnectIDs
    "ConnectID: wrong check symbol": Refused("contacts", "POST", "/v1/contacts", 422, "check_failed", "connect_id",
                                             {"json": {"connect_id": "K7Q-M2X-9HA"}}),
    "ConnectID: too short": Refused("contacts", "POST", "/v1/contacts", 422, "wrong_length", "connect_id",
                                    {"json": {"connect_id": "K7Q-M2X"}}),
    "ConnectID: look-alike 0 O 1 I L": Refused("contacts", "POST", "/v1/contacts", 422, "unused_character", "connect_id",
                                               {"json": {"connect_id": "K7Q-M2O-9HB"}}),
    "ConnectID: SQL": Refused("contacts", "POST", "/v1/contacts", 422, "invalid_character", "connect_id",
                              {"json": {"connect_id": "' OR 1=1 --"}}),
    "ConnectID: 41 characters": Refused("contacts", "POST", "/v1/contacts", 422, "invalid_request", "connect_id",
                                        {"json": {"connect_id": "K" * 41}}),
    "ConnectID look-up: script": Refused("directory", "GET", "/v1/connect-ids/<script>", 422, "invalid_character", "connect_id"),
    # cursors and queries
    "contacts: forged cursor": Refused("contacts", "GET", "/v1/contacts", 422, "bad_cursor", "cursor", {"params": {"cursor": "'; DROP"}}),
    "invitations: forged cursor": Refused("invitations", "GET", "/v1/invitations", 422, "bad_cursor", "cursor", {"params": {"cursor": "x|y"}}),
    "contacts: 101-character search": Refused("contacts", "GET", "/v1/contacts", 422, "invalid_request", "q", {"params": {"q": "a" * 101}}),
}  # fmt: skip
