"""The base of every settings class: read from upper-case environment variables, errors named.

Each field is read from the upper-case environment variable of the same name (``db_schema`` from
``DB_SCHEMA``, no prefix). Invalid values raise :class:`pydantic.ValidationError` whose locations
are the variable names; :meth:`EnvironmentSettings.load` turns that into a short :class:`SettingsError`
fit for a start-up message. Inputs are never echoed, so secrets stay out of logs.

Mixins (the JWT settings, the Kafka connection, ...) derive from :class:`EnvironmentSettings` so that a
tool can read only the part it needs (``contacts-status`` reads the Kafka connection alone)
while a service's settings class inherits them all.
"""

from __future__ import annotations

from typing import Any, Literal, Self

from pydantic import AliasGenerator, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

Environment = Literal["development", "test", "production"]


def _variable_name(loc: tuple[int | str, ...]) -> str:
    """``('jwt_secret',)`` or ``('JWT_SECRET',)`` -> ``JWT_SECRET``; ``()`` -> ``settings``."""
    return ".".join(str(part).upper() for part in loc) or "settings"


class SettingsError(ValueError):
    """Configuration is invalid; the message names each variable and the reason."""


class EnvironmentSettings(BaseSettings):
    """Settings read from the environment, with the deployment's ``ENVIRONMENT``."""

    model_config = SettingsConfigDict(
        alias_generator=AliasGenerator(validation_alias=str.upper),
        validate_by_name=True,
        case_sensitive=True,
        hide_input_in_errors=True,
        extra="ignore",
        frozen=True,
    )

    environment: Environment = "development"

    @classmethod
    def load(cls, **overrides: Any) -> Self:
        """Read the environment (`overrides`, by field name, win: a tool's command-line options);
        raise :class:`SettingsError` with one line per bad variable."""
        try:
            return cls(**overrides)
        except ValidationError as error:
            lines = [
                f"{_variable_name(e['loc'])}: {e['msg'].removeprefix('Value error, ')}"
                for e in error.errors(include_url=False, include_input=False)
            ]
            raise SettingsError("invalid configuration:\n  " + "\n  ".join(lines)) from None
