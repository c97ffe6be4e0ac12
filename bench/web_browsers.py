"""Simulated people at the contacts page, N at once, each as fast as its answers come (a
closed loop: a person waits for a page before clicking on): open /contacts, walk the next
pages by their "Next page" link as htmx asks for them (the list alone), then search by a
name prefix as the search box does. The same walk against the contacts API itself
(`GET /v1/contacts`, its `next_cursor`) is the baseline.

Latency is measured here, from sending a request to reading its whole answer (client side,
on the same machine); the server's own time is in each process's `http.request` log lines.
"""

from __future__ import annotations

import asyncio
import html
import json
import re
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.parse import urlencode

import httpx
from web_stack import SESSION_COOKIE

_NEXT_LINK = re.compile(r'<a rel="next"[^>]*?href="([^"]+)"')
HTMX = {"HX-Request": "true"}


class WrongAnswer(AssertionError):
    """A page or an API answer was not what a person would have seen."""


@dataclass
class Timings:
    """Client-side latencies (ms) by kind of request, and what failed."""

    by_kind: defaultdict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    failures: Counter[str] = field(default_factory=Counter)

    def all(self) -> list[float]:
        return [ms for kind in self.by_kind.values() for ms in kind]


class Walk(Protocol):
    """What a person does with one list: its first page, a next page, a search."""

    async def first(self) -> str | None: ...  # the next page's reference, None at the end
    async def page(self, ref: str) -> str | None: ...
    async def search(self) -> None: ...


@dataclass
class WebWalk:
    http: httpx.AsyncClient
    prefix: str

    async def first(self) -> str | None:
        return next_link(await self._get("/contacts", {}))

    async def page(self, ref: str) -> str | None:
        return next_link(await self._get(ref, HTMX))

    async def search(self) -> None:
        await self._get("/contacts?" + urlencode({"q": self.prefix}), HTMX)

    async def _get(self, path: str, headers: dict[str, str]) -> str:
        answer = await self.http.get(path, headers=headers)
        if answer.status_code != 200:
            raise WrongAnswer(f"GET {path}: {answer.status_code}")
        return answer.text


@dataclass
class ApiWalk:
    http: httpx.AsyncClient
    prefix: str

    async def first(self) -> str | None:
        return await self._get({"list": "active", "limit": "50"})

    async def page(self, ref: str) -> str | None:
        return await self._get({"list": "active", "limit": "50", "cursor": ref})

    async def search(self) -> None:
        await self._get({"list": "active", "limit": "50", "q": self.prefix})

    async def _get(self, params: dict[str, str]) -> str | None:
        answer = await self.http.get("/v1/contacts", params=params)
        if answer.status_code != 200:
            raise WrongAnswer(f"GET /v1/contacts {params}: {answer.status_code}")
        cursor: str | None = answer.json()["next_cursor"]
        return cursor


def next_link(page: str) -> str | None:
    found = _NEXT_LINK.search(page)
    return html.unescape(found.group(1)) if found else None


async def _timed(timings: Timings, kind: str, call: Awaitable[str | None]) -> str | None:
    started = time.perf_counter()
    try:
        ref = await call
    except (httpx.HTTPError, WrongAnswer) as error:
        timings.failures[f"{kind}: {error!r}"[:160]] += 1
        return None
    timings.by_kind[kind].append((time.perf_counter() - started) * 1000)
    return ref


async def browse(walk: Walk, pages: int, until: float, timings: Timings) -> None:
    """First page, pages 2..`pages`, a search; again until `until` (time.monotonic)."""
    while time.monotonic() < until:
        ref = await _timed(timings, "first page", walk.first())
        for _ in range(pages - 1):
            if ref is None or time.monotonic() >= until:
                break
            ref = await _timed(timings, "next page", walk.page(ref))
        await _timed(timings, "search", walk.search())


async def run_people(walks: list[Walk], pages: int, seconds: float) -> tuple[Timings, float]:
    """Every walk at once for `seconds`; the timings and the seconds it really took."""
    timings, started = Timings(), time.monotonic()
    until = started + seconds
    await asyncio.gather(*(browse(walk, pages, until, timings) for walk in walks))
    return timings, time.monotonic() - started


def web_clients(base_url: str, cookies: list[str]) -> list[httpx.AsyncClient]:
    """One client per browser: its own connection and session cookie."""
    return [
        httpx.AsyncClient(base_url=base_url, cookies={SESSION_COOKIE: cookie}, timeout=60)
        for cookie in cookies
    ]


def api_clients(base_url: str, token: str, count: int) -> list[httpx.AsyncClient]:
    auth = {"Authorization": f"Bearer {token}"}
    return [httpx.AsyncClient(base_url=base_url, headers=auth, timeout=60) for _ in range(count)]


def log_offset(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


def server_times(path: Path, start: int, end: int, path_prefix: str) -> list[float]:
    """`duration_ms` of the `http.request` lines written between two offsets of a JSON log,
    for request paths starting with `path_prefix`."""
    with path.open("rb") as log_file:
        log_file.seek(start)
        lines = log_file.read(end - start).decode(errors="replace").splitlines()
    times = []
    for line in lines:
        if '"http.request"' not in line:
            continue
        entry = json.loads(line)
        if entry.get("event") == "http.request" and entry["path"].startswith(path_prefix):
            times.append(float(entry["duration_ms"]))
    return times
