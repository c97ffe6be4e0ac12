"""Requests described, not sent (sans-IO): each operation of the platform is a function that
returns a :class:`Call` (one request and how to read its answer) or a :data:`Flow` (a few calls
in a row, such as a look-up then an add). The async and the sync client both execute these
descriptions, so every operation is written once.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, Literal, TypeAlias, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel

from contacts_client.settings import Service

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)
Method = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
ParamValue = str | int | float | bool | None
SAFE_METHODS = frozenset({"GET", "PUT", "DELETE"})  # HTTP-idempotent: safe to send twice


@dataclass(frozen=True)
class FilePart:
    """A file to send as multipart ``file``: read from ``path`` (again on each retry), or
    ``content`` given in memory; ``filename`` is what the service sees (its extension counts)."""

    filename: str
    path: Path | None = None
    content: bytes | None = None
    content_type: str = "application/octet-stream"

    def part(self, files: ExitStack) -> tuple[str, Any, str]:
        """The ``files=`` entry for httpx. A path is opened here (so each attempt reads it from
        the start) and closed when ``files`` closes, once the request is sent."""
        body = self.content if self.path is None else files.enter_context(self.path.open("rb"))
        return (self.filename, body, self.content_type)


@dataclass(frozen=True)
class Call(Generic[T]):
    """One request to one service and how to turn its (successful) answer into a ``T``."""

    method: Method
    service: Service
    path: str
    answer: Callable[[httpx.Response], T]
    params: Mapping[str, ParamValue] = field(default_factory=dict)
    json: Any = None
    form: Mapping[str, str] = field(default_factory=dict)
    upload: FilePart | None = None
    save_to: Path | None = None  # stream the body into this file instead of reading it
    creates: bool = False  # a creating POST: sends an Idempotency-Key, reused by its retries
    idempotent: bool = False  # a POST that is safe to send twice (archive, accept, ...)
    authenticated: bool = True  # sends the client's bearer token
    basic_auth: tuple[str, str] | None = None
    tokens: Literal["adopt", "forget"] | None = None  # the answer holds the new session, or ends it

    @property
    def retryable(self) -> bool:
        """Whether sending it again after a lost answer, 429 or 503 can do no harm."""
        return self.method in SAFE_METHODS or self.creates or self.idempotent

    def query(self) -> dict[str, str | int | float | bool]:
        """The query parameters that have a value (``None`` means: leave it out)."""
        return {name: value for name, value in self.params.items() if value is not None}


Flow: TypeAlias = Generator[Call[Any], Any, T]
"""Several calls in a row: ``answer = yield call`` sends one; ``return`` gives the result."""

Step: TypeAlias = Call[T] | Flow[T]


def model(kind: type[M]) -> Callable[[httpx.Response], M]:
    """Read the answer's JSON body as a ``kind``."""
    return lambda response: kind.model_validate_json(response.content)


def nothing(_: httpx.Response) -> None:
    """For answers without a body (204, 202)."""


def saved(path: Path) -> Callable[[httpx.Response], Path]:
    """For downloads streamed to ``path``: the answer is the path."""
    return lambda _: path


def present(**fields: Any) -> dict[str, Any]:
    """A JSON body of the fields given a value (``None``: not sent, the service's default)."""
    return {name: value for name, value in fields.items() if value is not None}


def segment(value: object) -> str:
    """``value`` as one path segment, escaped: an id as typed cannot reach another path."""
    return quote(str(value), safe="")
