"""The session file: owner-only from its creation, replaced whole, never through a symlink."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from contacts_cli.token_store import StoredSession, TokenStore

pytestmark = pytest.mark.unit


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_session_file_is_the_owners_alone_even_under_a_permissive_umask(
    tmp_path: Path,
) -> None:
    store = TokenStore(tmp_path / "config")
    previous = os.umask(0o000)
    try:
        store.save(StoredSession("access", "refresh"))
    finally:
        os.umask(previous)

    assert mode_of(store.path) == 0o600
    assert mode_of(store.folder) == 0o700
    assert store.load() == StoredSession("access", "refresh")


def test_saving_again_replaces_the_session_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    store = TokenStore(tmp_path)
    store.save(StoredSession("first", "r1"))
    store.save(StoredSession("second", "r2"))

    assert store.load() == StoredSession("second", "r2")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tokens.json"]
    assert mode_of(store.path) == 0o600


def test_a_symlink_in_place_of_the_file_is_neither_read_nor_written_through(
    tmp_path: Path,
) -> None:
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text('{"access_token": "planted"}')
    store = TokenStore(tmp_path / "config")
    store.folder.mkdir()
    store.path.symlink_to(elsewhere)

    assert store.load() is None
    store.save(StoredSession("mine", "refresh"))

    assert elsewhere.read_text() == '{"access_token": "planted"}'
    assert not store.path.is_symlink()
    assert store.load() == StoredSession("mine", "refresh")


def test_a_damaged_file_means_no_session_and_clear_forgets_it(tmp_path: Path) -> None:
    store = TokenStore(tmp_path)
    store.path.write_text("{not json")

    assert store.load() is None
    assert store.clear() is True
    assert store.clear() is False
    assert store.load() is None
