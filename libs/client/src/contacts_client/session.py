"""The client's session: the token it sends, whether a refused token can be renewed, and who
hears of new tokens (``save_tokens``: the command-line tool writes them to its config file).

Renewal happens once per request, on a 401 whose code says the token itself was refused
(expired, or signed with a key since retired): with a refresh token (``POST /v1/auth/refresh``,
which uses it up: the new one is kept and saved), or for a backend with the client id and secret
it signed in with (a new service token).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import httpx

from contacts_client.call import Call
from contacts_client.models.auth import Tokens
from contacts_client.resources.auth import issue_service_token, refresh_tokens

SaveTokens = Callable[[Tokens | None], None]
RENEWABLE_ERRORS = frozenset({"invalid_token", "token_expired"})  # not: missing, account closed


class Session:
    """The tokens of one client (shared by its requests; the senders serialise renewals)."""

    def __init__(self, tokens: Tokens | str | None, save: SaveTokens | None = None) -> None:
        self.tokens = Tokens(access_token=tokens) if isinstance(tokens, str) else tokens
        self.service_client: tuple[str, str] | None = None  # id and secret, to issue anew
        self._save = save

    @property
    def access_token(self) -> str | None:
        return self.tokens.access_token if self.tokens else None

    @property
    def renewable(self) -> bool:
        return self.service_client is not None or bool(self.tokens and self.tokens.refresh_token)

    def renewal(self) -> Call[Tokens] | None:
        """The call that gets a new access token, if the session can get one."""
        if self.service_client is not None:
            return issue_service_token(*self.service_client)
        if self.tokens and self.tokens.refresh_token:
            return refresh_tokens()
        return None

    def headers(self, call: Call[Any]) -> dict[str, str]:
        """The ``Authorization`` header ``call`` needs, if any."""
        if call.basic_auth is not None:
            pair = ":".join(call.basic_auth).encode()
            return {"Authorization": f"Basic {base64.b64encode(pair).decode()}"}
        if call.authenticated and self.access_token:
            return {"Authorization": f"Bearer {self.access_token}"}
        return {}

    def prepare(self, call: Call[Any]) -> Call[Any]:
        """A call that sends ``"refresh_token": None`` (refresh, sign-out) sends the session's."""
        body = call.json
        if not (
            isinstance(body, dict) and "refresh_token" in body and body["refresh_token"] is None
        ):
            return call
        if not (self.tokens and self.tokens.refresh_token):
            raise ValueError("no refresh token: sign in first, or pass one")
        return replace(call, json={**body, "refresh_token": self.tokens.refresh_token})

    def refused_token(self, call: Call[Any], response: httpx.Response) -> bool:
        """Whether ``response`` refused the bearer token ``call`` sent, in a way a new token
        would fix (not a missing token, nor a closed account)."""
        if response.status_code != 401 or not call.authenticated or call.basic_auth:
            return False
        try:
            code = response.json().get("error")
        except (ValueError, AttributeError):
            return False
        return code in RENEWABLE_ERRORS

    def learn(self, call: Call[Any], answer: object) -> None:
        """Keep the tokens a sign-in, refresh or service token answered; drop them on sign-out."""
        if call.tokens == "adopt" and isinstance(answer, Tokens):
            self.tokens = Tokens.model_validate(answer.model_dump())
            if call.basic_auth is not None:
                self.service_client = call.basic_auth
        elif call.tokens == "forget":
            self.tokens, self.service_client = None, None
        else:
            return
        if self._save is not None:
            self._save(self.tokens)
