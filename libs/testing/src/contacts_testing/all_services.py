"""The four services as real processes at once (each with its own schema and Kafka namespace,
or one namespace for all: a platform), for suites that visit every service: security, bad
input, account closure."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

from contacts_testing.running_service import RunningService, running_service

SERVICES = ("directory", "contacts", "importer", "invitations")


@asynccontextmanager
async def running_services(
    admin_url: str,
    bootstrap: str,
    folder: Path,
    env: Mapping[str, Mapping[str, str]] | None = None,
    *,
    shared_namespace: bool = False,
    directory_keys: bool = False,
) -> AsyncIterator[dict[str, RunningService]]:
    """Start every service in parallel (`env[name]` adds to a service's environment). With
    `shared_namespace` they see each other's events, as the platform's services do; with
    `directory_keys` the directory starts first and the others verify its tokens (its JWKS), so
    a user signed in by code is accepted everywhere."""
    env = {name: dict(extra) for name, extra in (env or {}).items()}
    namespace = f"p{uuid.uuid4().hex[:10]}" if shared_namespace else ""
    async with AsyncExitStack() as stack:

        async def start(name: str) -> RunningService:
            context = running_service(
                name, admin_url, bootstrap, folder, namespace, **env.get(name, {})
            )
            return await stack.enter_async_context(context)

        first = [await start("directory")] if directory_keys else []
        if directory_keys:
            jwks = f"{first[0].process.url}/.well-known/jwks.json"
            for name in SERVICES[1:]:
                env[name] = {"JWT_JWKS_URL": jwks, **env.get(name, {})}
        rest = await asyncio.gather(*(start(name) for name in SERVICES[len(first) :]))
        yield dict(zip(SERVICES, [*first, *rest], strict=True))


@asynccontextmanager
async def platform_for_people(
    admin_url: str, bootstrap: str, folder: Path,
    env: Mapping[str, Mapping[str, str]] | None = None,
) -> AsyncIterator[dict[str, RunningService]]:  # fmt: skip
    """The four services as one platform that people sign in to by code, as the clients' and
    the command-line tool's end-to-end tests use it: shared events, the directory's keys
    accepted everywhere, codes and invitations written to `folder/messages`, sign-in and
    look-up limits high enough for a suite of sign-ins, numbers read as British by default.
    `env[name]` adds to (or overrides) a service's environment."""
    messages = {"DEV_MESSAGES_DIR": str(folder / "messages")}
    base = {
        "directory": {**messages, "LOOKUP_BURST": "1000", "CODES_PER_ADDRESS_BURST": "1000",
                      "SIGN_IN_ATTEMPTS_PER_ADDRESS_BURST": "1000"},
        "importer": {"FALLBACK_REGION": "GB"},
        "invitations": messages,
    }  # fmt: skip
    merged = {name: {**base.get(name, {}), **(env or {}).get(name, {})} for name in SERVICES}
    async with running_services(
        admin_url, bootstrap, folder, merged, shared_namespace=True, directory_keys=True
    ) as services:
        yield services


def operations(openapi: Mapping[str, object]) -> set[tuple[str, str]]:
    """Every (METHOD, path template) an OpenAPI document describes, probes aside."""
    paths = openapi["paths"]
    assert isinstance(paths, dict)
    return {
        (method.upper(), path)
        for path, item in paths.items()
        for method in item
        if path not in ("/health", "/ready")
    }
