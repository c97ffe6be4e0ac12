"""A small HTTP server on 127.0.0.1 standing in for a Twilio-style SMS provider.

It honours idempotency keys like a real provider: a request with a key it has already
accepted returns the same message and delivers nothing new. It can be told to fail the
first requests (500) and to answer each request after `delay_seconds` (a real provider's
100 to 300 ms, or long enough for a test to kill the sender mid-request). It counts the
requests it is answering at once (`in_flight`, the most in `max_in_flight`) and notes when
each arrived (`arrivals`, time.monotonic()).
"""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass, field

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from contacts_testing.service_process import free_port


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

    async def _messages(self, request: Request) -> JSONResponse:
        form = {k: str(v) for k, v in (await request.form()).items()}
        key = request.headers.get("Idempotency-Key") or request.headers.get(
            "I-Twilio-Idempotency-Token", ""
        )
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
            return JSONResponse({"message": "provider overloaded"}, status_code=500)
        self.delivered.setdefault(key, form)
        return JSONResponse(
            {"sid": f"SM{abs(hash(key)) % 10**12:012d}", "status": "queued"}, status_code=201
        )

    def __enter__(self) -> SmsStandIn:
        app = Starlette(
            routes=[
                Route("/2010-04-01/Accounts/{sid}/Messages.json", self._messages, methods=["POST"])
            ]
        )
        self._server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        )
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        return self

    def __exit__(self, *_: object) -> None:
        self._server.should_exit = True
        self._thread.join(10)
