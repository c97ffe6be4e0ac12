"""The tokens a verifier has already accepted, remembered until they expire."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from .principal import Principal


class AcceptedTokens:
    """Tokens already verified, each until its ``exp`` (the same leeway as a fresh check).

    Bounded: when full, the least recently used entry goes. Keyed by the whole token, so a
    token differing in any byte is checked afresh. A lock keeps it safe for verifications run
    in threads (JWKS).

    An entry holds only strings (the roles in a tuple) and a float, so the garbage collector
    stops tracking it after its first collections: a full cache adds nothing to the later
    ones. (Entries holding a ``Principal`` were two tracked objects each; with callers coming and going they were promoted to the oldest generation
    and made the full collections that pause the event loop frequent and long.)
    """

    def __init__(self, size: int, leeway_seconds: float) -> None:
        self._size, self._leeway = size, leeway_seconds
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, token: str) -> Principal | None:
        entry = self._entries.get(token)
        if entry is None:
            return None
        user_id, tenant_id, company_id, roles, expires_at = entry
        with self._lock:
            if time.time() >= expires_at + self._leeway:
                self._entries.pop(token, None)
                return None
            if token in self._entries:
                self._entries.move_to_end(token)
        return Principal(user_id, tenant_id, company_id, frozenset(roles))

    def put(self, token: str, principal: Principal, expires_at: float) -> None:
        if self._size <= 0:
            return
        p = principal
        entry = (p.user_id, p.tenant_id, p.company_id, tuple(sorted(p.roles)), expires_at)
        with self._lock:
            self._entries[token] = entry
            self._entries.move_to_end(token)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)


_Entry = tuple[str, str | None, str | None, tuple[str, ...], float]
