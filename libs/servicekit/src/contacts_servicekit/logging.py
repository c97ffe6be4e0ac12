"""Structured logging for every service, and the correlation id that ties its lines together.

:func:`configure_logging` sets up structlog and the standard library (uvicorn, aiokafka, asyncpg)
to share one renderer: JSON lines when not on a terminal, coloured console lines on a terminal.
Every line carries an ISO-8601 UTC timestamp, level, logger name, ``service`` and whatever is bound
in :mod:`structlog.contextvars`, notably the ``correlation_id`` that
:class:`CorrelationIdMiddleware` binds for each HTTP request.

The platform's own lines (structlog) are rendered and written by structlog itself, without
the standard library's records, handlers and formatter in between: that path costs about a
fifth as much, and the middleware writes one line per HTTP request. Lines of other libraries
come through the standard library to the same renderer and stream.
"""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid
from contextvars import ContextVar
from typing import Any, TextIO

import structlog
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from structlog.typing import EventDict, Processor, WrappedLogger

CORRELATION_ID_HEADER = "X-Correlation-ID"
_ACCEPTED_CORRELATION_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)
_QUIET_LOGGERS = {"aiokafka": logging.WARNING, "uvicorn.access": logging.WARNING}
# loggers their libraries give a handler of their own (FastStream's "faststream" writes
# coloured text to stderr): their lines go through the platform's renderer instead
_ROUTED_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "faststream")

_log = structlog.get_logger("contacts_servicekit.http")


class _ServiceAdder:
    """Processor adding ``service`` to every line (contextvars are cleared per request)."""

    def __init__(self, service_name: str) -> None:
        self._service_name = service_name

    def __call__(self, _logger: WrappedLogger, _method: str, event_dict: EventDict) -> EventDict:
        event_dict.setdefault("service", self._service_name)
        return event_dict


def _drop_color_message(_logger: WrappedLogger, _method: str, event_dict: EventDict) -> EventDict:
    """Drop uvicorn's ANSI-coloured duplicate of the message."""
    event_dict.pop("color_message", None)
    return event_dict


class _OurHandler(logging.StreamHandler[TextIO]):
    """Marks the root handler this module installs, so reconfiguring replaces only it."""


class _NamedWriteLogger(structlog.WriteLogger):
    """structlog's line writer, with the name it was asked for (``structlog.get_logger(name)``),
    which ``structlog.stdlib.add_logger_name`` reads as it reads a stdlib logger's."""

    def __init__(self, stream: TextIO, name: str | None) -> None:
        super().__init__(stream)
        self.name = name


def configure_logging(
    service_name: str, level: str = "INFO", fmt: str = "auto", *, stream: TextIO | None = None
) -> None:
    """Configure structlog and stdlib logging for ``service_name``; safe to call again.

    ``fmt`` is ``json``, ``console`` or ``auto`` (JSON unless ``stream``, default stderr, is a
    terminal). Run uvicorn with ``log_config=None`` so that it keeps this configuration; its access
    log is quieted because :class:`CorrelationIdMiddleware` writes one ``http.request`` line.
    """
    stream = stream if stream is not None else sys.stderr
    if fmt not in ("auto", "json", "console"):
        raise ValueError(f"log format must be auto, json or console, not {fmt!r}")
    as_json = fmt == "json" or (fmt == "auto" and not stream.isatty())
    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _ServiceAdder(service_name),
    ]
    renderer: Processor = (
        structlog.processors.JSONRenderer()
        if as_json
        else structlog.dev.ConsoleRenderer(colors=stream.isatty())
    )
    exceptions: list[Processor] = [structlog.processors.format_exc_info] if as_json else []
    handler = _OurHandler(stream)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[*shared, structlog.stdlib.ExtraAdder(), _drop_color_message],
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                *exceptions,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _OurHandler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    logging.captureWarnings(True)  # warnings become "py.warnings" lines in the same format
    for name in _ROUTED_LOGGERS:
        routed = logging.getLogger(name)
        routed.handlers.clear()
        routed.propagate = True
    for name, quiet_level in _QUIET_LOGGERS.items():
        logging.getLogger(name).setLevel(quiet_level)
    structlog.configure(
        processors=[
            *shared,
            structlog.processors.StackInfoRenderer(),
            *exceptions,
            renderer,
        ],
        logger_factory=lambda *args: _NamedWriteLogger(stream, args[0] if args else None),
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        cache_logger_on_first_use=False,  # a later configure_logging (tests) takes effect
    )


def bind_correlation_id(value: str | None = None) -> str:
    """Bind ``value`` (a new uuid4 when ``None``) as the correlation id of the current context."""
    correlation_id = value if value is not None else str(uuid.uuid4())
    structlog.contextvars.bind_contextvars(correlation_id=correlation_id)
    _correlation_id.set(correlation_id)
    return correlation_id


def current_correlation_id() -> str | None:
    """The correlation id bound in the current context, if any (e.g. to stamp outgoing events)."""
    return _correlation_id.get()


def accepted_correlation_id(candidate: str | None) -> str | None:
    """``candidate`` if it is a safe correlation id (``[A-Za-z0-9._:-]{1,128}``), else ``None``."""
    if candidate is not None and _ACCEPTED_CORRELATION_ID.fullmatch(candidate):
        return candidate
    return None


class CorrelationIdMiddleware:
    """Pure ASGI middleware: one correlation id per HTTP request, echoed and logged.

    Takes a well-formed ``X-Correlation-ID`` from the request or generates one, binds it for the
    request's logs, returns it in the response header and logs one ``http.request`` line with
    method, path, status and duration_ms.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        structlog.contextvars.clear_contextvars()
        given = Headers(scope=scope).get(CORRELATION_ID_HEADER)
        correlation_id = bind_correlation_id(accepted_correlation_id(given))
        status = 500  # what the client sees if the app fails before starting a response
        started = time.perf_counter()

        async def send_with_header(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                MutableHeaders(scope=message)[CORRELATION_ID_HEADER] = correlation_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_header)
        finally:
            fields: dict[str, Any] = {
                "method": scope["method"],
                "path": scope["path"],
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            }
            if status >= 500:
                _log.error("http.request", **fields)
            else:
                _log.info("http.request", **fields)
            structlog.contextvars.clear_contextvars()
            _correlation_id.set(None)
