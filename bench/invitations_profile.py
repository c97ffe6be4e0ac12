"""Where the invitations service's CPU goes while it drains (--profile of
bench/invitations_drain.py): py-spy on the service process and on the bench's own process
(the SMS stand-in's uvicorn thread), with the importer bench's `PySpy`, sorted by the
markers below. py-spy is not a project dependency: see bench/importer_profile.py."""

from __future__ import annotations

import functools
import os
import time
from pathlib import Path

from importer_profile import GENERIC as IMPORTER_GENERIC
from importer_profile import PySpy, bucket_of
from invitations_stack import STATE_DIR

# (function, file, label), nearest the leaf first
SPECIFIC = [
    ("invitation_message", "invitation_wording.py", "send: the message's words"),
    ("send", "sms_http.py", "send: HTTP client to the provider"),
    ("_attempt", "delivery.py", "send: the attempt's task (pacing, timeout)"),
    ("_claim", "delivery.py", "delivery: claim (Postgres)"),
    ("record", "delivery_results.py", "delivery: record results and their events"),
    ("_record", "delivery.py", "delivery: record results and their events"),
    ("handle_batch", "request_batch.py", "requests: make the invitations (batch of 500)"),
    ("handle_due", "request_processor.py", "requests: make the invitations (batch of 500)"),
    ("_send", "relay.py", "relay: records to Kafka"),
    ("publish_batch", "relay.py", "relay: claim + mark sent (Postgres)"),
    ("process", "inbox.py", "consumer: inbox (one savepoint and queue row a request)"),
    ("_message", "sms_standin.py", "stand-in: the provider's own work"),
]
GENERIC = [  # the importer bench's, after the HTTP clients
    ("aiohttp", "HTTP client (aiohttp, other)"),
    ("httpx", "HTTP client (httpx, other)"),
    ("httpcore", "HTTP client (httpx, other)"),
    *IMPORTER_GENERIC,
]


def drain_profiler(executable: str, service_pid: int, scenario: str) -> PySpy:
    """py-spy on the service and on this process (the stand-in), written under the bench's
    state directory."""
    out = STATE_DIR / "profiles" / f"{scenario}-{time.strftime('%H%M%S')}"
    bucket = functools.partial(bucket_of, specific=SPECIFIC, generic=GENERIC)
    return PySpy(Path(executable), lambda: [service_pid, os.getpid()], out, "invitations", bucket)
