"""deploy/local/common.sh picks the PostgreSQL server binaries: the newest installed major
(Debian 12 has 15, Ubuntu 24.04 16, Debian 13 17), or the one that made the existing cluster.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from contacts_testing.infra import REPO_ROOT

pytestmark = pytest.mark.unit


def install(root: Path, *majors: str) -> Path:
    """Fake servers laid out as Debian's packages lay them out."""
    for major in majors:
        server = root / major / "bin" / "postgres"
        server.parent.mkdir(parents=True)
        server.write_text("#!/bin/sh\n")
        server.chmod(0o755)
    return root


def chosen_bin(tmp_path: Path, install_dir: Path, **extra: str) -> str:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PG_INSTALL_DIR": str(install_dir),
           "CONTACTS_STATE_DIR": str(tmp_path / "state"), **extra}  # fmt: skip
    script = f'source "{REPO_ROOT}/deploy/local/common.sh"; echo "$PG_BIN"'
    done = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_newest_installed_major_is_used(tmp_path):
    servers = install(tmp_path / "lib", "15", "9.6", "17", "16")
    assert chosen_bin(tmp_path, servers) == str(servers / "17" / "bin")


def test_an_existing_cluster_keeps_the_major_that_made_it(tmp_path):
    servers = install(tmp_path / "lib", "15", "17")
    data = tmp_path / "state" / "postgres" / "data"
    data.mkdir(parents=True)
    (data / "PG_VERSION").write_text("15\n")
    assert chosen_bin(tmp_path, servers) == str(servers / "15" / "bin")


def test_pg_bin_from_the_environment_wins(tmp_path):
    servers = install(tmp_path / "lib", "17")
    assert chosen_bin(tmp_path, servers, PG_BIN="/opt/pg/bin") == "/opt/pg/bin"
