"""HTTP entrypoint of the directory service: its FastAPI app, wired to its messaging host."""

from datetime import timedelta
from pathlib import Path

from contacts_events import topics
from contacts_messaging.host import ServiceHost, service_app
from contacts_servicekit.migrations import discover
from fastapi import FastAPI

from directory_service.adapters.rate_limiter import Limit
from directory_service.entrypoints import (
    api_companies,
    api_lookup,
    api_membership_offers,
    api_users,
)
from directory_service.settings import DirectorySettings

MIGRATIONS = Path(__file__).parents[1] / "adapters" / "migrations"


def build_app(settings: DirectorySettings) -> FastAPI:
    host = ServiceHost(
        settings,
        discover("directory", MIGRATIONS),
        produces=[topics.DIRECTORY_USERS, topics.DIRECTORY_COMPANIES],
    )
    app = service_app(
        host,
        title="Directory service",
        description="Users, ConnectIDs, companies, memberships and contact points.",
    )
    app.state.lookup_limit = Limit(
        "connect_id_lookup", settings.lookup_burst, settings.lookup_per_minute
    )
    app.state.membership_offer_lifetime = timedelta(days=settings.membership_offer_days)
    for router in (api_users.router, api_lookup.router, api_companies.router):
        app.include_router(router)
    app.include_router(api_membership_offers.router)
    return app
