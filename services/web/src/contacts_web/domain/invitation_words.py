"""The words of a pending invitation: its channel and where its sending is (catalogue message
ids, translated where shown). A status a newer service adds is shown by its code."""

from __future__ import annotations

from contacts_web.domain.statuses import N_

CHANNELS = {"sms": N_("SMS"), "email": N_("Email")}
SENDING = {
    "pending": N_("Waiting to be sent"),
    "delivery_failed": N_("Could not be delivered"),
}


def channel(code: str) -> str:
    return CHANNELS.get(code, code)


def sending(status: str) -> str | None:
    """What to say of the sending beside "Sent N times": nothing once it was `sent`."""
    return None if status == "sent" else SENDING.get(status, status)
