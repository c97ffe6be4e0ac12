"""The service's FastAPI app around its host: the lifespan starts and stops the host, and
requests are authenticated with the platform's tokens."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI

from contacts_servicekit.auth import TokenVerifier, principal_dependency
from contacts_servicekit.http import create_app
from contacts_servicekit.web.hosted import Host


def service_app(host: Host, *, title: str, description: str, version: str = "0.1.0") -> FastAPI:
    """The service's FastAPI app; its lifespan starts and stops `host`."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await host.start()
        try:
            yield
        finally:
            await host.stop()

    settings = host.settings
    app = create_app(
        service=settings.service_name,
        title=title,
        description=description,
        version=version,
        lifespan=lifespan,
        readiness=host.readiness,
        metrics_refresh=host.refresh_metrics,
        max_in_flight=settings.http_max_in_flight,
        max_body_bytes=settings.http_max_body_bytes,
        max_upload_bytes=settings.http_max_upload_bytes,
    )
    app.state.host = host
    app.state.authenticate = principal_dependency(TokenVerifier.from_settings(settings))
    return app
