"""What a signed-in browser's session holds (sealed in the session table)."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from pydantic import BaseModel, ConfigDict

REFRESH_MARGIN = timedelta(seconds=60)
"""Tokens this close to expiring are renewed before a request uses them."""


class SessionData(BaseModel):
    model_config = ConfigDict(frozen=True)

    user_id: UUID
    display_name: str
    connect_id: str | None = None
    access_token: str
    refresh_token: str
    access_expires_at: datetime

    def needs_refresh(self, now: datetime) -> bool:
        return self.access_expires_at - REFRESH_MARGIN <= now
