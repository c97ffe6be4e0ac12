"""Request bodies of the importer API (the upload's form: `upload_form`; answers: `views`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, JsonValue
from pydantic.config import JsonDict

PASTE_EXAMPLE: JsonDict = {
    "text": "06 12 34 56 78, +44 7400 123456; 0612345679",
    "default_region": "FR",
}
COLUMN_EXAMPLES: list[JsonValue] = [
    {"phone": "Mobile", "first_name": "Prénom", "last_name": "Nom", "email": "E-mail"},
    {"sheet": "Contacts"},
    {"encoding": "windows-1251", "phone": "Телефон"},
]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PasteNumbers(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [PASTE_EXAMPLE]})

    text: str = Field(
        max_length=2_000_000,
        description="Numbers separated by commas, tabs, semicolons or new lines",
    )
    default_region: str | None = Field(
        default=None, max_length=2, description="e.g. FR; default: your number's"
    )


class ColumnChoice(Body):
    """Which column holds what, by header as shown in `headers` (null: none). With `sheet` or
    `encoding`, the file is read again first (its headers and sample rows change); `phone`
    may then be left out, to see the new headers before choosing."""

    model_config = ConfigDict(json_schema_extra={"examples": COLUMN_EXAMPLES})

    phone: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    display_name: str | None = None
    email: str | None = None
    country: str | None = None
    default_region: str | None = Field(default=None, max_length=2)
    sheet: str | None = Field(
        default=None, max_length=255, description="Read this sheet of the workbook instead"
    )
    encoding: str | None = Field(
        default=None, max_length=40, description="Read the CSV file in this encoding instead"
    )


class InviteRows(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{"rows": None}, {"rows": [2, 5, 9]}]})

    rows: list[int] | None = Field(
        default=None, max_length=1_048_576, description="Row numbers; null: every ready row"
    )
