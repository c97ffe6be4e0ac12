"""Answer bodies as the services write them, for the scripted platform."""

from __future__ import annotations

from typing import Any

USER_ID = "6f1d2a52-3c1e-4c57-9a57-3bcb1f0c5a10"
IMPORT_ID = "0b3a7c1e-2f4d-4e5a-8b6c-7d8e9f0a1b2c"


def contact(name: str = "Lea", **changes: Any) -> dict[str, Any]:
    return {
        "contact_id": USER_ID, "kind": "user", "connect_id": "K7Q-M2X-9HB", "display_name": name,
        "company_name": None, "archived": False, "managed": False, "managed_by": None,
        "added_via": "connect_id", "added_at": "2025-01-02T03:04:05Z", **changes,
    }  # fmt: skip


def imported(status: str = "extracted", **changes: Any) -> dict[str, Any]:
    return {
        "import_id": IMPORT_ID, "source": "pasted", "filename": None, "status": status,
        "progress": 0.0, "total_rows": 2, "counts": None, "headers": [], "sheets": [],
        "sheet": None, "mapping": None, "default_region": "GB", "error": None,
        "created_at": "2025-01-02T03:04:05Z", "completed_at": None, **changes,
    }  # fmt: skip


def tokens(access: str, refresh: str | None = "refresh-1") -> dict[str, Any]:
    return {"access_token": access, "token_type": "Bearer", "expires_in": 900,
            "refresh_token": refresh}  # fmt: skip


def invitation(**changes: Any) -> dict[str, Any]:
    return {
        "invitation_id": USER_ID, "channel": "sms", "destination": "+447400123456", "name": None,
        "status": "pending", "send_count": 1, "last_sent_at": None,
        "expires_at": "2025-02-02T03:04:05Z", "created_at": "2025-01-02T03:04:05Z", **changes,
    }  # fmt: skip
