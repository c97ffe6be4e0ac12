"""Invitations, deliveries and the daily send counters in Postgres."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import asyncpg

OPEN = ("pending", "sent", "delivery_failed")


async def open_for(
    conn: asyncpg.Connection, inviter_id: UUID, phone: str | None, email: str | None
) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT * FROM invitations WHERE inviter_id = $1 AND status = ANY($3::text[])"
        " AND coalesce(phone_e164, lower(email)) = $2",
        inviter_id, phone or (email or "").lower(), list(OPEN),
    )  # fmt: skip


async def by_request(conn: asyncpg.Connection, request_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM invitations WHERE request_id = $1", request_id)


async def get(
    conn: asyncpg.Connection, invitation_id: UUID, *, for_update: bool = False
) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT * FROM invitations WHERE invitation_id = $1"
        + (" FOR UPDATE" if for_update else ""),
        invitation_id,
    )


async def insert(conn: asyncpg.Connection, **fields: Any) -> None:
    columns = ", ".join(fields)
    values = ", ".join(f"${i}" for i in range(1, len(fields) + 1))
    await conn.execute(f"INSERT INTO invitations ({columns}) VALUES ({values})", *fields.values())


async def queue_delivery(
    conn: asyncpg.Connection, delivery_id: UUID, invitation_id: UUID, kind: str
) -> None:
    await conn.execute(
        "INSERT INTO deliveries (delivery_id, invitation_id, kind, status) VALUES ($1, $2, $3, 'queued')",
        delivery_id, invitation_id, kind,
    )  # fmt: skip


async def take_daily(
    conn: asyncpg.Connection, scope: str, subject: str, day: date, cap: int
) -> bool:
    """Count one send against `subject`'s cap for `day`; False (nothing counted) at the cap."""
    taken = await conn.fetchval(
        "INSERT INTO daily_sends (scope, subject, day, count) VALUES ($1, $2, $3, 1)"
        " ON CONFLICT (scope, subject, day) DO UPDATE SET count = daily_sends.count + 1"
        " WHERE daily_sends.count < $4 RETURNING true",
        scope, subject, day, cap,
    )  # fmt: skip
    return bool(taken)


async def pending_page(
    conn: asyncpg.Connection, inviter_id: UUID, before: tuple[Any, UUID] | None, limit: int
) -> list[asyncpg.Record]:
    rows: list[asyncpg.Record] = await conn.fetch(
        "SELECT * FROM invitations WHERE inviter_id = $1 AND status = ANY($2::text[])"
        " AND ($3::timestamptz IS NULL OR (created_at, invitation_id) < ($3, $4))"
        " ORDER BY created_at DESC, invitation_id DESC LIMIT $5",
        inviter_id, list(OPEN), before[0] if before else None, before[1] if before else None, limit,
    )  # fmt: skip
    return rows


async def close(
    conn: asyncpg.Connection, invitation_id: UUID, status: str, invitee: UUID | None = None
) -> None:
    await conn.execute(
        "UPDATE invitations SET status = $2, closed_at = now(), invitee_user_id = $3 WHERE invitation_id = $1",
        invitation_id, status, invitee,
    )  # fmt: skip
    await conn.execute(
        "UPDATE deliveries SET status = 'failed', last_error = 'invitation closed'"
        " WHERE invitation_id = $1 AND status = 'queued'",
        invitation_id,
    )


async def open_matching(
    conn: asyncpg.Connection, phone: str | None, email: str | None, token: str | None
) -> list[asyncpg.Record]:
    rows: list[asyncpg.Record] = await conn.fetch(
        "SELECT *, CASE WHEN token = $3 THEN 'invitation_token' WHEN phone_e164 = $1 THEN 'phone'"
        " ELSE 'email' END AS matched_by FROM invitations"
        " WHERE status = ANY($4::text[]) AND expires_at > now()"
        " AND (token = $3 OR phone_e164 = $1 OR lower(email) = lower($2)) FOR UPDATE",
        phone, email, token, list(OPEN),
    )  # fmt: skip
    return rows
