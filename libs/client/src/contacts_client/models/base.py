"""What every answer model shares: extra fields are kept, not refused, so a client keeps working
when a service adds a field to its answers (forward compatible)."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class Model(BaseModel):
    """An answer of the platform; fields a newer service adds are kept as extra attributes."""

    model_config = ConfigDict(extra="allow")


class Page(Model, Generic[T]):
    """One page of a list: pass ``next_cursor`` as ``cursor`` for the next (``None``: the end)."""

    items: list[T]
    next_cursor: str | None = None
    total: int | None = Field(default=None, description="In all, where the list counts them")
