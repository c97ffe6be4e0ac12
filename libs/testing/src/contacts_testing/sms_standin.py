"""A small HTTP server on 127.0.0.1 standing in for a Twilio-style SMS provider.

It honours idempotency keys like a real provider: a request with a key it has already
accepted returns the same message and delivers nothing new. It can be told to fail the
first requests (500) and to answer each request after `delay_seconds` (a real provider's
100 to 300 ms, or long enough for a test to kill the sender mid-request). It counts the
requests it is answering at once (`in_flight`, the most in `max_in_flight`) and notes when
each arrived (`arrivals`, time.monotonic()).

It is a bare ASGI app under uvicorn (no framework routing, middleware or form parser): the
invitations bench runs it in its own process beside the service, and at 1,000 messages a
second Starlette's per-request work took a third of a core of the two the bench has.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import uvicorn

from contacts_testing.service_process import free_port

_MESSAGES_PATH = re.compile(r"/2010-04-01/Accounts/[^/]+/Messages\.json")
_JSON_HEADERS = [(b"content-type", b"application/json")]
Scope = dict[str, Any]


@dataclass
class SmsStandIn:
    fail_first: int = 0
    delay_seconds: float = 0.0
    port: int = field(default_factory=free_port)
    requests: list[dict[str, str]] = field(default_factory=list)
    delivered: dict[str, dict[str, str]] = field(default_factory=dict)  # idempotency key -> message
    arrivals: list[float] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        """The ASGI app: POST .../Messages.json is a message; anything else is 404."""
        if scope["type"] != "http":
            return
        if scope["method"] != "POST" or not _MESSAGES_PATH.fullmatch(scope["path"]):
            await _answer(send, 404, {"message": "not found"})
            return
        body = await _body(receive)
        form = dict(parse_qsl(body.decode(), keep_blank_values=True))
        headers = dict(scope["headers"])
        key = headers.get(b"idempotency-key") or headers.get(b"i-twilio-idempotency-token", b"")
        status, answer = await self._message(form, key.decode())
        await _answer(send, status, answer)

    async def _message(self, form: dict[str, str], key: str) -> tuple[int, dict[str, str]]:
        self.requests.append({**form, "key": key})
        self.arrivals.append(time.monotonic())
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.delay_seconds:
                await asyncio.sleep(self.delay_seconds)
        finally:
            self.in_flight -= 1
        if len(self.requests) <= self.fail_first:
            return 500, {"message": "provider overloaded"}
        self.delivered.setdefault(key, form)
        return 201, {"sid": f"SM{abs(hash(key)) % 10**12:012d}", "status": "queued"}

    def __enter__(self) -> SmsStandIn:
        config = uvicorn.Config(
            self, host="127.0.0.1", port=self.port, log_level="warning", access_log=False,
            lifespan="off",
        )  # fmt: skip
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        return self

    def __exit__(self, *_: object) -> None:
        self._server.should_exit = True
        self._thread.join(10)


async def _body(receive: Any) -> bytes:
    chunks, more = [], True
    while more:
        event = await receive()
        chunks.append(event.get("body", b""))
        more = event.get("more_body", False)
    return b"".join(chunks)


async def _answer(send: Any, status: int, body: dict[str, str]) -> None:
    payload = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status, "headers": _JSON_HEADERS})
    await send({"type": "http.response.body", "body": payload})


def main() -> None:
    """Serve in this process until SIGTERM (a load generator's own process keeps the GIL
    apart): `python -m contacts_testing.sms_standin PORT [DELAY_SECONDS]`."""
    import signal
    import sys

    port, delay = int(sys.argv[1]), float(sys.argv[2]) if len(sys.argv) > 2 else 0.0
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    with SmsStandIn(delay_seconds=delay, port=port) as standin:
        print(f"SMS stand-in on {standin.url}", flush=True)
        stopped.wait()


if __name__ == "__main__":
    main()
