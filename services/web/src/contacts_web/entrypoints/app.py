"""The web app: the platform's middleware and probes, the browser's security, its pages."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import structlog
from contacts_servicekit.db import create_pool
from contacts_servicekit.http import create_app
from contacts_servicekit.migrations import discover
from contacts_servicekit.schema_setup import prepare_schema
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from contacts_web.adapters.session_store import SessionStore
from contacts_web.entrypoints.browser.cookie import BrowserCookieMiddleware
from contacts_web.entrypoints.browser.security_headers import SecurityHeadersMiddleware
from contacts_web.entrypoints.error_pages import install_error_pages
from contacts_web.entrypoints.pages import ROUTERS, list_upload
from contacts_web.entrypoints.words.i18n import LanguageMiddleware
from contacts_web.settings import WebSettings

PACKAGE = Path(__file__).parents[1]
MIGRATIONS = discover("web", PACKAGE / "adapters" / "migrations")
PURGE_EVERY_SECONDS = 3600.0
log = structlog.get_logger(__name__)


def build_app(settings: WebSettings) -> FastAPI:
    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        pool = await create_pool(settings.database_url, settings.db_schema, min_size=settings.db_pool_min,
                                 max_size=settings.db_pool_max, application_name="web")  # fmt: skip
        async with pool.acquire() as conn:
            await prepare_schema(conn, settings, MIGRATIONS)
        limits = httpx.Limits(max_connections=200, max_keepalive_connections=50)
        timeout = httpx.Timeout(settings.platform.timeout_seconds, connect=5.0)
        app.state.pool = pool
        app.state.sessions = SessionStore(pool)
        app.state.http = httpx.AsyncClient(limits=limits, timeout=timeout)
        purging = asyncio.create_task(_purge_expired_sessions(app.state.sessions))
        try:
            yield
        finally:
            purging.cancel()
            await app.state.http.aclose()
            await pool.close()

    async def readiness() -> dict[str, str]:
        try:
            await app.state.pool.fetchval("SELECT 1")
        except Exception:
            return {"postgres": "unavailable"}
        return {"postgres": "ok"}

    app = create_app(
        service="web", title="Contacts web app", version="0.1.0", lifespan=lifespan,
        description="The seed's screens in a browser, over the platform's APIs.",
        readiness=readiness, max_in_flight=settings.http_max_in_flight,
        max_body_bytes=settings.http_max_body_bytes, max_upload_bytes=settings.http_max_upload_bytes,
        body_too_large=list_upload.body_too_large,
    )  # fmt: skip
    app.state.settings = settings
    max_age = settings.session_days * 86400
    app.add_middleware(
        BrowserCookieMiddleware, secure=settings.secure_cookies, max_age_seconds=max_age
    )
    app.add_middleware(LanguageMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    app.mount("/static", StaticFiles(packages=[("contacts_web", "static")]), name="static")
    install_error_pages(app)
    for router in ROUTERS:
        app.include_router(router)
    return app


async def _purge_expired_sessions(sessions: SessionStore) -> None:
    while True:
        try:
            purged = await sessions.purge_expired()
            if purged:
                log.info("web.sessions_purged", count=purged)
        except Exception as error:
            log.warning("web.sessions_purge_failed", error=repr(error))
        await asyncio.sleep(PURGE_EVERY_SECONDS)
