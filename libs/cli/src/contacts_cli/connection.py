"""The client a command talks through: the service addresses from the client's settings
(``CONTACTS_DIRECTORY_URL``, ... with the local platform's defaults), and the token.

Which token: ``CONTACTS_TOKEN`` when it is set (a script's or CI's; never renewed nor
written anywhere), else the session `contacts login` stored, which the client renews with its
refresh token when a service says the access token expired; each renewal is written back at
once, since the old refresh token is then used up.
"""

from __future__ import annotations

import os

from contacts_client import ContactsPlatform, PlatformSettings, SaveTokens, Tokens
from pydantic import ValidationError

from contacts_cli.exit_codes import ExitCode
from contacts_cli.failures import Failed, NotSignedIn
from contacts_cli.token_store import StoredSession, TokenStore
from contacts_cli.wiring import wiring

TOKEN_VARIABLE = "CONTACTS_TOKEN"  # noqa: S105 - the variable's name, not a token


def environment_token() -> str | None:
    return os.environ.get(TOKEN_VARIABLE) or None


def connect(*, signed_in: bool = True) -> ContactsPlatform:
    """A client for this command: with the caller's token, or (``signed_in=False``, for the
    sign-in itself) without one, saving the session it starts."""
    wired = wiring()
    store = wired.store
    token: Tokens | str | None = None
    if signed_in:
        token = environment_token() or _stored_tokens(store)
        if token is None:
            raise NotSignedIn()
    save = None if isinstance(token, str) else _saver(store)
    return ContactsPlatform(
        settings(), token=token, save_tokens=save, retries=wired.retries,
        transport=wired.transport,
    )  # fmt: skip


def settings() -> PlatformSettings:
    """The client's settings from the environment; a bad value is a usage error naming it."""
    try:
        return PlatformSettings()
    except ValidationError as invalid:
        names = ", ".join(f"CONTACTS_{str(e['loc'][0]).upper()}" for e in invalid.errors())
        raise Failed(f"Invalid setting: {names}.", ExitCode.USAGE) from None


def _stored_tokens(store: TokenStore) -> Tokens | None:
    stored = store.load()
    if stored is None:
        return None
    return Tokens(access_token=stored.access_token, refresh_token=stored.refresh_token)


def _saver(store: TokenStore) -> SaveTokens:
    def save(tokens: Tokens | None) -> None:
        if tokens is None:
            store.clear()
        else:
            store.save(StoredSession(tokens.access_token, tokens.refresh_token))

    return save
