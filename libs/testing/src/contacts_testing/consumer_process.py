"""A consumer in a process of its own, so that a test can kill it at a chosen moment.

    python -m contacts_testing.consumer_process --bootstrap B --dsn D --schema S \
        --topic T --group G --expect N [--crash-after-commit]

With --crash-after-commit the process SIGKILLs itself right after its first database commit,
before the Kafka offsets are committed. Otherwise it runs until it has seen N deliveries
(applied + duplicates) and prints them as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
from collections.abc import Sequence

from contacts_events.envelope import CloudEvent
from contacts_servicekit.db import create_pool

from contacts_testing.consumers import running_consumer, wait_until


async def crash(_: Sequence[CloudEvent]) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


async def main(args: argparse.Namespace) -> None:
    pool = await create_pool(args.dsn, args.schema, max_size=2)
    hook = crash if args.crash_after_commit else None
    async with running_consumer(
        pool, args.bootstrap, args.topic, args.group, after_commit=hook
    ) as c:
        await wait_until(lambda: c.applied + c.duplicates >= args.expect, seconds=120)
        print(json.dumps({"applied": c.applied, "duplicates": c.duplicates}), flush=True)
    await pool.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    for name in ("bootstrap", "dsn", "schema", "topic", "group"):
        parser.add_argument(f"--{name}", required=True)
    parser.add_argument("--expect", type=int, default=1)
    parser.add_argument("--crash-after-commit", action="store_true")
    asyncio.run(main(parser.parse_args()))
