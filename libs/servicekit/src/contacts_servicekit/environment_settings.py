"""The base of every settings class: each field read from its upper-case variable, errors that
name the variable and never echo its value (secrets stay out of logs)."""

from __future__ import annotations

from typing import Self

from pydantic import AliasGenerator, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict


def _variable_name(loc: tuple[int | str, ...]) -> str:
    """``('jwt_secret',)`` or ``('JWT_SECRET',)`` -> ``JWT_SECRET``; ``()`` -> ``settings``."""
    return ".".join(str(part).upper() for part in loc) or "settings"


class SettingsError(ValueError):
    """Configuration is invalid; the message names each variable and the reason."""


class EnvironmentSettings(BaseSettings):
    """``db_schema`` from ``DB_SCHEMA``, no prefix; unknown variables ignored; frozen."""

    model_config = SettingsConfigDict(
        alias_generator=AliasGenerator(validation_alias=str.upper),
        validate_by_name=True,
        case_sensitive=True,
        hide_input_in_errors=True,
        extra="ignore",
        frozen=True,
    )

    @classmethod
    def load(cls) -> Self:
        """Read the environment; raise :class:`SettingsError` with one line per bad variable."""
        try:
            return cls()
        except ValidationError as error:
            lines = [
                f"{_variable_name(e['loc'])}: {e['msg'].removeprefix('Value error, ')}"
                for e in error.errors(include_url=False, include_input=False)
            ]
            raise SettingsError("invalid configuration:\n  " + "\n  ".join(lines)) from None
