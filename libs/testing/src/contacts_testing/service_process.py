"""A service run as its real console script in a process of its own, for tests that kill it."""

from __future__ import annotations

import collections
import os
import random
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx

_PORTS = range(30000, 32700)  # below the kernel's ephemeral range (32768-60999) and our fixed ports


def _ports_of_this_worker() -> range:
    """A pytest-xdist worker (`gw0`, `gw1`, ...) takes its own slice of `_PORTS`: two workers
    never probe the same port between one's probe and its service's bind."""
    worker, workers = (
        os.environ.get("PYTEST_XDIST_WORKER"),
        os.environ.get("PYTEST_XDIST_WORKER_COUNT"),
    )
    if not worker or not workers:
        return _PORTS
    size = len(_PORTS) // int(workers)
    start = _PORTS.start + int(worker.removeprefix("gw")) * size
    return range(start, start + size)


_RECENT = collections.deque[int](maxlen=256)


def free_port() -> int:
    """A free port outside the ephemeral range: no client socket can take it from a service
    that is restarted on it. Never one of the last ports this process handed out: a fixture
    that picks the ports of four services before any of them binds would otherwise give two
    of them the same one now and then (seen in CI: the second failed to bind, and the tests
    talked to the first)."""
    ports = _ports_of_this_worker()
    for port in random.sample(ports, min(200, len(ports))):
        if port in _RECENT:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            _RECENT.append(port)
            return port
    raise RuntimeError("no free port found in 30000-32699")


@dataclass
class ServiceProcess:
    """`<name>-service` with the given environment, logging to `log_path`."""

    name: str
    env: dict[str, str]
    log_path: Path
    port: int = field(default_factory=free_port)
    # HTTP_WORKERS when `env` does not say: tests run one process per service, which is
    # enough for them and spares the cores; None keeps the service's own default (benches).
    workers: int | None = 1
    process: subprocess.Popen[bytes] | None = None
    _log: IO[bytes] | None = None
    _stopped: bool = False  # by `kill` or `terminate`: an exit the tests asked for

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        executable = Path(sys.executable).parent / f"{self.name}-service"
        env = {**os.environ, **self.env, "HTTP_PORT": str(self.port), "LOG_FORMAT": "json"}
        if self.workers is not None:
            env.setdefault("HTTP_WORKERS", str(self.workers))
        self._log = self.log_path.open("ab")
        self._stopped = False
        self.process = subprocess.Popen(  # noqa: S603 - our own console script
            [str(executable)], env=env, stdout=self._log, stderr=subprocess.STDOUT
        )

    def get(self, path: str) -> httpx.Response:
        return httpx.get(self.url + path, timeout=5)

    def wait_ready(self, seconds: float = 60) -> httpx.Response:
        """Until `/ready` says `ready`: every check ok (a `degraded` 200 is not enough: Kafka
        lost, the consumers waiting)."""
        deadline = time.monotonic() + seconds
        while True:
            answer = self.wait_for("/ready", seconds=max(deadline - time.monotonic(), 0.1))
            if answer.json().get("status") == "ready":
                return answer
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name} /ready stayed {answer.json()}")
            time.sleep(0.2)

    def wait_for(self, path: str, status: int = 200, seconds: float = 180) -> httpx.Response:
        """The first answer of `path` with `status`. A process that exits fails this at once;
        one still starting gets `seconds`: three minutes, as a service started beside another
        worker's three-node secured Kafka cluster wrote nothing at all for a minute (CI, 7 Dec;
        the same start takes 2-4 s on a quiet machine)."""
        deadline = time.monotonic() + seconds
        last: Any = None
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise AssertionError(
                    f"{self.name} exited ({self.process.returncode}); see {self.log_path}"
                )
            try:
                last = self.get(path)
                if last.status_code == status:
                    return last  # type: ignore[no-any-return]
            except httpx.TransportError as exc:
                last = exc
            time.sleep(0.2)
        raise AssertionError(f"{self.name} {path} never answered {status}: last {last!r}")

    def terminate(self, seconds: float = 20) -> int:
        """SIGTERM and wait; return the exit code."""
        assert self.process is not None
        self._stopped = True
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(seconds)
        self._close()
        return code

    def exited_unasked(self) -> int | None:
        """The exit code if the process ended though nobody killed or stopped it: a crash."""
        if self.process is None or self._stopped:
            return None
        return self.process.poll()

    def kill(self) -> None:
        self._stopped = True
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self._close()

    def _close(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None
