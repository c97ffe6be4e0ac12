"""Uploaded files, kept in Postgres in 4 MB chunks until the import no longer needs them, so
that any importer instance can read them."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import BinaryIO
from uuid import UUID

import asyncpg

CHUNK_BYTES = 4 * 1024 * 1024


async def save(conn: asyncpg.Connection, import_id: UUID, source: BinaryIO) -> None:
    source.seek(0)
    seq = 0
    while data := source.read(CHUNK_BYTES):
        await conn.execute(
            "INSERT INTO import_files (import_id, seq, data) VALUES ($1, $2, $3)",
            import_id,
            seq,
            data,
        )
        seq += 1


@contextlib.asynccontextmanager
async def local_copy(conn: asyncpg.Connection, import_id: UUID, suffix: str) -> AsyncIterator[Path]:
    """The stored file as a temporary local file (deleted afterwards)."""
    with tempfile.TemporaryDirectory(prefix="import-") as folder:
        path = Path(folder) / f"upload{suffix}"
        await copy_to(conn, import_id, path)
        yield path


async def copy_to(conn: asyncpg.Connection, import_id: UUID, path: Path) -> None:
    """Write the stored file to `path`, a chunk at a time."""
    with path.open("wb") as out:
        seqs = await conn.fetch(
            "SELECT seq FROM import_files WHERE import_id = $1 ORDER BY seq", import_id
        )
        for row in seqs:
            out.write(
                await conn.fetchval(
                    "SELECT data FROM import_files WHERE import_id = $1 AND seq = $2",
                    import_id,
                    row["seq"],
                )
            )


async def delete(conn: asyncpg.Connection, import_id: UUID) -> None:
    await conn.execute("DELETE FROM import_files WHERE import_id = $1", import_id)
