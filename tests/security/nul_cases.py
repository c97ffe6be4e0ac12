"""Requests with NUL in one parameter or field each, generated from a service's OpenAPI
document: every path and query parameter, every JSON body field (an array's first item, an
object's fields), every form field and uploaded file's name. A new endpoint, parameter or
field is covered without a line here. Header parameters are left out: HTTP cannot carry NUL.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

NUL_TEXT = "a\x00b"
SOME_ID = "00000000-0000-4000-8000-000000000000"  # fills the other path parameters
_BOUNDARY = "nul-case-boundary"


@dataclass(frozen=True)
class NulCase:
    method: str
    path: str  # filled, percent-encoded
    field: str  # what the answer must name
    request: dict[str, Any] = field(default_factory=dict)  # httpx keyword arguments

    @property
    def label(self) -> str:
        return f"{self.method} {self.path} [{self.field}]"


def nul_cases(openapi: Mapping[str, Any]) -> Iterator[NulCase]:
    """One case for each parameter and body field of each operation (probes aside)."""
    components = openapi.get("components", {}).get("schemas", {})
    for template, item in openapi["paths"].items():
        if template in ("/health", "/ready"):
            continue
        for method, operation in item.items():
            yield from _operation_cases(method.upper(), template, operation, components)


def _operation_cases(
    method: str, template: str, operation: Mapping[str, Any], components: Mapping[str, Any]
) -> Iterator[NulCase]:
    parameters = operation.get("parameters", [])
    path_names = [p["name"] for p in parameters if p["in"] == "path"]
    plain_path = _filled(template, path_names)
    for name in path_names:
        yield NulCase(method, _filled(template, path_names, nul_in=name), name)
    for parameter in parameters:
        if parameter["in"] == "query":
            name = parameter["name"]
            yield NulCase(method, plain_path, name, {"params": {name: NUL_TEXT}})
    content = operation.get("requestBody", {}).get("content", {})
    for media_type, described in content.items():
        schema = _resolved(described["schema"], components)
        for fields, name in _field_values(schema, components):
            yield NulCase(method, plain_path, name, _body(media_type, schema, fields))


def _filled(template: str, names: list[str], nul_in: str | None = None) -> str:
    path = template
    for name in names:
        path = path.replace(f"{{{name}}}", "a%00b" if name == nul_in else SOME_ID)
    return path


def _resolved(schema: Mapping[str, Any], components: Mapping[str, Any]) -> Mapping[str, Any]:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _branches(schema: Mapping[str, Any], components: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """A property's alternatives (`anyOf` a type and null), each resolved."""
    return [_resolved(s, components) for s in schema.get("anyOf", [schema])]


def _field_values(
    schema: Mapping[str, Any], components: Mapping[str, Any], prefix: str = ""
) -> Iterator[tuple[dict[str, Any], str]]:
    """({property: value with NUL somewhere}, the field the answer must name), per field."""
    for name, described in schema.get("properties", {}).items():
        where = f"{prefix}{name}"
        branches = _branches(described, components)
        if any(b.get("type") == "array" for b in branches):
            yield {name: [NUL_TEXT]}, f"{where}[0]"
        elif any("properties" in b for b in branches):
            inner = next(b for b in branches if "properties" in b)
            for values, field_name in _field_values(inner, components, f"{where}."):
                yield {name: values}, field_name
        else:
            yield {name: NUL_TEXT}, where


def _body(media_type: str, schema: Mapping[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    if media_type == "application/json":
        return {"json": fields}
    if media_type == "application/x-www-form-urlencoded":
        return {"data": fields}
    return _multipart(schema, fields)


def _multipart(schema: Mapping[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """A form written by hand: httpx would percent-encode NUL in a file's name."""
    parts = []
    for name, described in schema.get("properties", {}).items():
        is_file = described.get("contentMediaType") or described.get("format") == "binary"
        if is_file:
            filename = fields.get(name, "list.csv")
            parts.append(f'Content-Disposition: form-data; name="{name}"; filename="{filename}"'
                         "\r\nContent-Type: text/csv\r\n\r\nMobile\r\n+447400123456\r\n")  # fmt: skip
        elif name in fields:
            parts.append(f'Content-Disposition: form-data; name="{name}"\r\n\r\n{fields[name]}')
    body = "".join(f"--{_BOUNDARY}\r\n{part}\r\n" for part in parts) + f"--{_BOUNDARY}--\r\n"
    headers = {"Content-Type": f"multipart/form-data; boundary={_BOUNDARY}"}
    return {"content": body.encode(), "headers": headers}
