"""Where a signed-in session is kept between commands: one JSON file in the user's config
directory (platformdirs: `~/.config/contacts-platform/tokens.json` on Linux), readable by its
owner only.

The file holds a refresh token, which is as good as the account for 30 days, so it is never
written with a wider mode, not even for an instant: it is created new (``O_EXCL``, mode 0600,
no symlink followed) beside the old one and renamed over it, so a reader sees either the old
session or the new one, never half of either.
"""

from __future__ import annotations

import errno
import json
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

import platformdirs

APP_DIRECTORY = "contacts-platform"
TOKENS_FILE = "tokens.json"
FILE_MODE = 0o600
DIRECTORY_MODE = 0o700
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)  # not on Windows, where modes mean little anyway


@dataclass(frozen=True)
class StoredSession:
    """The tokens `contacts login` received, or the client renewed since (a refresh token is
    used up by its renewal, so the new one must replace it at once)."""

    access_token: str
    refresh_token: str | None = None


class TokenStore:
    """The session file in ``folder`` (the user's config directory unless a test says)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or platformdirs.user_config_path(APP_DIRECTORY, appauthor=False)
        self.path = self.folder / TOKENS_FILE

    def load(self) -> StoredSession | None:
        """The stored session, or None when there is none, or it is not ours to read: a symlink
        put in its place is not followed (ELOOP), and the next save replaces the link itself."""
        try:
            descriptor = os.open(self.path, os.O_RDONLY | _NO_FOLLOW)
        except FileNotFoundError:
            return None
        except OSError as refused:
            if refused.errno in (errno.ELOOP, errno.EMLINK, errno.ENOTDIR):
                return None
            raise
        with os.fdopen(descriptor, encoding="utf-8") as stored:
            try:
                return StoredSession(**json.load(stored))
            except (ValueError, TypeError):
                return None  # damaged or from another version: sign in again

    def save(self, session: StoredSession) -> None:
        """Replace the stored session atomically; the file is mode 0600 from its creation."""
        self.folder.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
        temporary = self.folder / f".{TOKENS_FILE}.{secrets.token_hex(8)}"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NO_FOLLOW
        descriptor = os.open(temporary, flags, FILE_MODE)
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as written:
                if hasattr(os, "fchmod"):
                    os.fchmod(written.fileno(), FILE_MODE)  # a umask may only have narrowed it
                json.dump(asdict(session), written)
                written.flush()
                os.fsync(written.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise

    def clear(self) -> bool:
        """Forget the session; True when there was one."""
        try:
            self.path.unlink()
        except FileNotFoundError:
            return False
        return True
