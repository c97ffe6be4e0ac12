"""A browser's upload as a file with a path, for the typed client to stream to the importer
(it sends a path in pieces, and from the start again if it retries).

Starlette spools an upload in memory, then in an anonymous temporary file, which has no path
to give: it is copied, in a thread, into a temporary directory removed when done."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import BinaryIO

from fastapi import UploadFile
from starlette.concurrency import run_in_threadpool

COPY_BYTES = 1024 * 1024


@asynccontextmanager
async def upload_on_disk(upload: UploadFile) -> AsyncIterator[Path]:
    """The upload's bytes in a file of their own while the block runs; deleted after."""
    with tempfile.TemporaryDirectory(prefix="web-upload-") as folder:
        path = Path(folder) / "upload"
        await run_in_threadpool(_copy, upload.file, path)
        yield path


def _copy(source: BinaryIO, path: Path) -> None:
    source.seek(0)
    with path.open("wb") as out:
        shutil.copyfileobj(source, out, COPY_BYTES)
