"""The multipart form of `POST /v1/imports/files`: the file, and what a one-call import adds
(the sheet, the encoding, the columns by header, `start`, `invite`)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any
from uuid import UUID

from contacts_servicekit.errors import ApiError, Invalid
from fastapi import UploadFile
from pydantic import BaseModel, ConfigDict, Field

from importer_service.handlers.columns import MAPPED_FIELDS
from importer_service.handlers.uploads import UploadRequest

READ_BYTES = 1024 * 1024


class TooLarge(ApiError):
    status = 413


class UploadForm(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={  # a one-call import: the file, its data sheet and phone column
            "examples": [{"file": "people.xlsx", "sheet": "Contacts", "phone": "Mobile",
                          "default_region": "CH", "start": True, "invite": True}]
        },
    )  # fmt: skip

    file: UploadFile = Field(description=".csv, .txt, .xls, .xlsx or .ods")
    default_region: str | None = Field(default=None, max_length=2, examples=["FR"])
    replaces: UUID | None = Field(
        default=None, description="The import this corrected file replaces (Back)"
    )
    sheet: str | None = Field(
        default=None, max_length=255, examples=["Contacts"],
        description="The workbook's sheet to read; default: the first whose header row has a "
        "phone column",
    )  # fmt: skip
    encoding: str | None = Field(
        default=None, max_length=40, examples=["windows-1251"],
        description="A CSV file's text encoding; default: detected (see `encoding` in the answer)",
    )  # fmt: skip
    phone: str | None = Field(
        default=None, max_length=255, examples=["Mobile"],
        description="The header of the phone column; any of the columns given confirms them "
        "(the rows are read at once, as after `PUT /mapping`)",
    )  # fmt: skip
    first_name: str | None = Field(default=None, max_length=255, examples=["First name"])
    last_name: str | None = Field(default=None, max_length=255, examples=["Last name"])
    display_name: str | None = Field(default=None, max_length=255)
    email: str | None = Field(default=None, max_length=255, examples=["Email"])
    country: str | None = Field(default=None, max_length=255)
    start: bool = Field(
        default=False,
        description="Start the import once its rows are read (the columns given, else those "
        "recognised); the quota is spent then, as by `POST /start`",
    )
    invite: bool = Field(
        default=False,
        description="Invite every ready row once the import completes (needs start=true)",
    )

    def request(self) -> UploadRequest:
        given = self.model_dump(include=set(MAPPED_FIELDS), exclude_none=True)
        return UploadRequest(
            filename=self.file.filename or "upload", sheet=self.sheet, encoding=self.encoding,
            columns=given, default_region=self.default_region, replaces=self.replaces,
            start=self.start, invite=self.invite,
        )  # fmt: skip

    def fingerprint(self, file_digest: str) -> dict[str, Any]:
        """What makes two uploads the same request (Idempotency-Key): the fields, the file's
        name and a hash of its bytes."""
        fields = self.model_dump(mode="json", exclude={"file"})
        return {**fields, "filename": self.file.filename, "sha256": file_digest}


async def save_bounded(upload: UploadFile, path: Path, max_bytes: int) -> str:
    """Copy the upload to `path` and return the SHA-256 of its bytes; 413 as soon as it passes
    `max_bytes` (nothing is kept), 422 when it is empty."""
    written, digest = 0, hashlib.sha256()
    with path.open("wb") as out:
        while chunk := await upload.read(READ_BYTES):
            written += len(chunk)
            if written > max_bytes:
                raise TooLarge(
                    "file_too_large",
                    f"The file is larger than {max_bytes // (1024 * 1024)} MB; nothing was imported.",
                    "file",
                )
            digest.update(chunk)
            out.write(chunk)
    if written == 0:
        raise Invalid("empty_file", "The file is empty.", "file")
    return digest.hexdigest()
