"""The web bench's processes: the contacts bench's stack (its own Postgres, Kafka and contacts
service: contacts_stack.py) with the web app in front of it, as its own process on 127.0.0.1,
and signed-in browsers' sessions of one user.

The sessions are written with the web app's own session store (a secret per browser, its
tokens sealed with it), holding a development access token of the seeded owner that lasts the
whole run: signing in through the directory's SMS codes would add a service the measured
pages never call.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from uuid import UUID

from contacts_servicekit.db import create_pool
from contacts_stack import STATE_DIR, Stack
from contacts_testing.service_process import ServiceProcess
from contacts_web.adapters.session_store import SessionStore
from contacts_web.domain.session import SessionData
from contacts_web.domain.session_secret import SessionSecret
from kit import fresh_schema, started

WEB_SCHEMA = "web_bench"
SESSION_COOKIE = "session"  # its name outside production (no __Host- prefix over plain HTTP)
SESSION_HOURS = 4


@contextlib.contextmanager
def running_web(stack: Stack, extra_env: dict[str, str]) -> Iterator[ServiceProcess]:
    """The web app on a fresh schema, talking to the stack's contacts service; stopped (and
    its schema dropped) on exit, also on errors and Ctrl-C."""
    with contextlib.ExitStack() as cleanup:
        fresh_schema(cleanup, stack.dsn, WEB_SCHEMA)
        env = {
            "DATABASE_URL": stack.dsn,
            "DB_SCHEMA": WEB_SCHEMA,
            "CONTACTS_CONTACTS_URL": stack.service.url,
            "COOKIE_SECURE": "false",
            **extra_env,
        }
        log_path = STATE_DIR / "logs" / "web-bench.log"
        log_path.unlink(missing_ok=True)  # the run's server times are read from it
        yield started(cleanup, "web", env, log_path)


async def open_sessions(dsn: str, owner_id: UUID, access_token: str, browsers: int) -> list[str]:
    """`browsers` signed-in sessions of the owner: the session cookie of each."""
    now = datetime.now(UTC)
    until = now + timedelta(hours=SESSION_HOURS)
    session = SessionData(
        user_id=owner_id, display_name="Bench Owner", access_token=access_token,
        refresh_token="never-used-within-the-run",  # noqa: S106 - the access token outlives the run
        access_expires_at=until,
    )  # fmt: skip
    pool = await create_pool(dsn, WEB_SCHEMA, min_size=1, max_size=1, application_name="bench")
    try:
        store = SessionStore(pool)
        secrets = [SessionSecret.new() for _ in range(browsers)]
        for secret in secrets:
            await store.create(secret, session, until)
    finally:
        await pool.close()
    return [secret.cookie_value for secret in secrets]
