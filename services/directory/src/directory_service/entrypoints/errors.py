"""Errors of the directory's own value types, in the platform's error shape."""

from __future__ import annotations

from contacts_servicekit.errors import Invalid, error_response
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from directory_service.domain.connect_id import InvalidConnectId


def install_error_handlers(app: FastAPI) -> None:
    async def invalid_connect_id(_: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, InvalidConnectId)
        return error_response(Invalid(error.code, error.reason, "connect_id"))

    app.add_exception_handler(InvalidConnectId, invalid_connect_id)
