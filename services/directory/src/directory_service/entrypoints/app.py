"""HTTP entrypoint of the directory service: its FastAPI app, wired to its messaging host."""

from datetime import timedelta
from pathlib import Path

from contacts_channels import channels_from_settings
from contacts_events import topics
from contacts_messaging.host import ServiceHost
from contacts_servicekit.auth import TokenVerifier, principal_dependency
from contacts_servicekit.key_set import KeySet
from contacts_servicekit.migrations import discover
from contacts_servicekit.web.app import service_app
from fastapi import FastAPI

from directory_service.adapters.code_sender import ChannelCodeSender
from directory_service.adapters.retention import directory_expiries
from directory_service.adapters.signing_keys import SigningKeys
from directory_service.adapters.token_issuer import TokenIssuer
from directory_service.domain.rate_limits import Limit
from directory_service.entrypoints import (
    api_auth,
    api_companies,
    api_jwks,
    api_lookup,
    api_membership_offers,
    api_users,
    api_verifications,
)
from directory_service.entrypoints.identity import Identity
from directory_service.handlers.codes import Codes
from directory_service.handlers.sign_in import SignInLimits
from directory_service.settings import DirectorySettings

MIGRATIONS = Path(__file__).parents[1] / "adapters" / "migrations"
OWN_MIGRATIONS = discover("directory", MIGRATIONS)  # after the messaging library's


def build_app(settings: DirectorySettings) -> FastAPI:
    host = ServiceHost(
        settings,
        OWN_MIGRATIONS,
        produces=[topics.DIRECTORY_USERS, topics.DIRECTORY_COMPANIES],
    )
    app = service_app(
        host,
        title="Directory service",
        description="Sign-in, users, ConnectIDs, companies, memberships and contact points.",
    )
    identity = _identity(settings, host)
    app.state.identity = identity
    app.state.authenticate = principal_dependency(_own_verifier(settings, host, identity))
    app.state.lookup_limit = Limit(
        "connect_id_lookup", settings.lookup_burst, settings.lookup_per_minute
    )
    app.state.membership_offer_lifetime = timedelta(days=settings.membership_offer_days)
    limits = (app.state.lookup_limit, *_rate_limits(identity))
    for expiry in directory_expiries(settings.session_rules(), limits):
        host.add_purge(expiry)
    for router in (
        api_auth.router, api_jwks.router, api_users.router, api_verifications.router,
        api_lookup.router, api_companies.router, api_membership_offers.router,
    ):  # fmt: skip
        app.include_router(router)
    return app


def _identity(settings: DirectorySettings, host: ServiceHost) -> Identity:
    channels = channels_from_settings(settings, environment=settings.environment)
    host.add_closing(channels.close)
    rules = settings.session_rules()
    keys = SigningKeys(settings.derived_key("signing-keys"), rules.access_lifetime)
    per_hour = 1 / 60
    s = settings
    return Identity(
        codes=Codes(settings.derived_key("codes"), s.code_rules(), ChannelCodeSender(channels)),
        issuer=TokenIssuer(keys, rules, s.jwt_issuer, s.jwt_audience),
        sign_in_limits=SignInLimits(
            Limit("sign_in_code", s.codes_per_number_burst, s.codes_per_number_per_hour * per_hour),
            Limit(
                "sign_in_code_address",
                s.codes_per_address_burst,
                s.codes_per_address_per_hour * per_hour,
            ),
            Limit(
                "sign_in_attempt_address",
                s.sign_in_attempts_per_address_burst,
                s.sign_in_attempts_per_address_per_hour * per_hour,
            ),
        ),
        verifications_per_user=Limit(
            "verification_code", s.codes_per_number_burst, s.codes_per_number_per_hour * per_hour
        ),
        verifications_per_destination=Limit(
            "verification_code_destination",
            s.codes_per_number_burst,
            s.codes_per_number_per_hour * per_hour,
        ),
        service_clients=s.service_client_secrets(),
    )


def _rate_limits(identity: Identity) -> tuple[Limit, ...]:
    """The sign-in and verification limits (their buckets' retention depends on them)."""
    sign_in = identity.sign_in_limits
    return (
        sign_in.codes_per_number, sign_in.codes_per_address, sign_in.attempts_per_address,
        identity.verifications_per_user, identity.verifications_per_destination,
    )  # fmt: skip


def _own_verifier(
    settings: DirectorySettings, host: ServiceHost, identity: Identity
) -> TokenVerifier:
    """The directory checks the tokens it signed with its own keys, read from its database."""

    async def own_keys() -> dict[str, object]:
        async with host.pool.acquire() as conn:
            return await identity.issuer.keys.jwks(conn)

    return TokenVerifier.from_settings(settings, keys=KeySet(own_keys))
