"""`contacts` against the running platform: sign-up by the SMS code, the session file, whoami,
add by ConnectID, list, archive and unarchive, logout, and the exit codes a script sees."""

from __future__ import annotations

import json
import stat
import time
from pathlib import Path

import pytest

from .conftest import Cli, Platform, new_phone

pytestmark = pytest.mark.e2e


def until_exit_0(cli: Cli, *args: str, seconds: float = 30) -> dict[str, object]:
    """The --json answer of a command that succeeds once an event has travelled."""
    deadline = time.monotonic() + seconds
    while True:
        answer = cli.run(*args, "--json")
        if answer.returncode == 0 or time.monotonic() > deadline:
            assert answer.returncode == 0, answer.stderr
            result: dict[str, object] = json.loads(answer.stdout)
            return result
        time.sleep(0.3)


def test_sign_up_by_code_keeps_the_session_for_the_owner_alone_until_logout(cli: Cli) -> None:
    phone = new_phone()

    signed = cli.login(phone, "Robin Reed")

    assert signed.returncode == 0, signed.stderr
    assert "Signed up as Robin Reed" in signed.stdout
    assert stat.S_IMODE(cli.tokens_file.stat().st_mode) == 0o600
    me = json.loads(cli.run("whoami", "--json").stdout)
    assert (me["display_name"], me["phone"]) == ("Robin Reed", phone)
    assert cli.run("logout").returncode == 0
    assert not cli.tokens_file.exists()
    assert cli.run("whoami").returncode == 3


def test_add_by_connect_id_list_archive_and_unarchive(
    signed_in: Cli, platform: Platform, tmp_path: Path
) -> None:
    friend = Cli(platform, tmp_path / "friend")
    assert friend.login(new_phone(), "Sasha Stone").returncode == 0
    friends_id = json.loads(friend.run("whoami", "--json").stdout)["connect_id"]

    added = until_exit_0(signed_in, "add", friends_id.lower())

    assert added["display_name"] == "Sasha Stone"
    listed = signed_in.run("list")
    assert "Sasha Stone" in listed.stdout and friends_id in listed.stdout
    assert signed_in.run("archive", str(added["contact_id"])).returncode == 0
    archived = json.loads(signed_in.run("list", "--archived", "--json").stdout)
    assert [c["display_name"] for c in archived["items"]] == ["Sasha Stone"]
    assert signed_in.run("unarchive", str(added["contact_id"])).returncode == 0
    active = json.loads(signed_in.run("list", "--search", "Sa", "--json").stdout)
    assert [c["connect_id"] for c in active["items"]] == [friends_id]


def test_the_exit_codes_a_script_sees(cli: Cli) -> None:
    assert cli.run("list").returncode == 3  # not signed in
    assert cli.login(new_phone(), "Tao").returncode == 0

    typo = cli.run("add", "AAA-AAA-AAA", "--json")
    assert typo.returncode == 1
    assert typo.stdout == ""
    refused = json.loads(typo.stderr)
    assert (refused["status"], refused["field"]) == (422, "connect_id")
    assert cli.run("list", "--limit", "0").returncode == 2
    wrong_token = cli.run("list", env={"CONTACTS_TOKEN": "not-a-token"})
    assert wrong_token.returncode == 3
