"""The public keys that sign the platform's tokens, as the issuer publishes them (a JWKS).

A :class:`KeySet` keeps the keys by key id (``kid``) and fetches the set again

- when a token names a key it does not hold (the issuer rotated its key: no restart needed),
- when its copy is older than ``max_age`` (a key the issuer withdrew stops being trusted).

Fetches are one at a time and at least ``min_interval`` apart, so tokens with made-up key ids
cost the issuer at most one request per interval per process; a caller arriving inside the
interval waits for the next fetch instead of being refused. While the issuer cannot be reached
the keys already held keep working (logged), so an outage of the issuer refuses only tokens of
keys never seen.

Where the keys come from is a function: :func:`jwks_over_http` for the services that verify
tokens of the directory, a database read for the directory itself.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import httpx
import jwt
import structlog

log = structlog.get_logger(__name__)

FetchKeys = Callable[[], Awaitable[Mapping[str, Any]]]
"""Returns a JWKS document: ``{"keys": [{"kid": ..., "kty": ..., ...}, ...]}``."""

SIGNING_ALGORITHMS = frozenset({"EdDSA", "RS256"})
MAX_KEYS = 50  # a JWKS holds a handful; more is an issuer misconfigured or hostile


class KeySet:
    def __init__(
        self, fetch: FetchKeys, *, max_age: float = 300.0, min_interval: float = 1.0
    ) -> None:
        self._fetch = fetch
        self.max_age, self.min_interval = max_age, min_interval
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = float("-inf")  # monotonic time of the last successful fetch
        self._tried_at = float("-inf")  # ... of the last attempt, failed or not
        self._lock = asyncio.Lock()

    def get(self, kid: str) -> jwt.PyJWK | None:
        """The key ``kid`` if it is held and the copy is fresh; else None (call :meth:`load`)."""
        if time.monotonic() - self._fetched_at > self.max_age:
            return None
        return self._keys.get(kid)

    async def load(self, kid: str) -> jwt.PyJWK | None:
        """The key ``kid`` after fetching the set again if needed; None if the issuer has none.

        A key already held (its copy only old) is returned at once while another caller
        fetches or just tried to: an issuer that is slow or down never queues the requests of
        keys this process knows. Only a key never seen waits for a fetch of its own."""
        if (held := self._held_if_fetched_lately(kid, fetching=self._lock.locked())) is not None:
            return held
        async with self._lock:
            if (key := self.get(kid)) is not None:
                return key  # another caller's fetch brought it meanwhile
            if (held := self._held_if_fetched_lately(kid)) is not None:
                return held
            wait = self._tried_at + self.min_interval - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self._tried_at = time.monotonic()
            try:
                self._keys = _parsed(await self._fetch())
                self._fetched_at = time.monotonic()
            except Exception as error:
                log.warning("signing_keys.unavailable", error=repr(error), held=len(self._keys))
            return self._keys.get(kid)  # after a failed fetch, a stale key beats refusing

    def _held_if_fetched_lately(self, kid: str, *, fetching: bool = False) -> jwt.PyJWK | None:
        """The held key ``kid`` if a fetch is under way or was tried within the interval."""
        recently_tried = time.monotonic() - self._tried_at < self.min_interval
        return self._keys.get(kid) if fetching or recently_tried else None


def _parsed(document: Mapping[str, Any]) -> dict[str, jwt.PyJWK]:
    entries = document.get("keys")
    if not isinstance(entries, list) or len(entries) > MAX_KEYS:
        raise ValueError("not a JWKS document")
    keys = {}
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("kid"), str):
            continue
        try:
            key = jwt.PyJWK(entry)
        except jwt.PyJWTError:
            continue  # a key of a kind this verifier does not use: skip it, keep the others
        if key.algorithm_name in SIGNING_ALGORITHMS:
            keys[entry["kid"]] = key
    return keys


def jwks_over_http(url: str, *, timeout: float = 5.0) -> FetchKeys:
    """Fetch the JWKS document at ``url`` (the directory's ``/.well-known/jwks.json``)."""

    async def fetch() -> Mapping[str, Any]:
        async with httpx.AsyncClient(timeout=timeout) as client:
            response = await client.get(url, headers={"Accept": "application/json"})
            response.raise_for_status()
            document: Mapping[str, Any] = response.json()
            return document

    return fetch
