"""`contacts import` and `contacts paste` against the running platform: a file imported with
its progress shown, the counts per status, the results file, --json parsed, Ctrl-C leaving the
import running and `contacts import status ID` re-attaching, pasted numbers invited and the
pending invitations resent and deleted. These need the importer's progress stream, results
files and one-call upload (issue 15)."""

from __future__ import annotations

import csv
import json
import re
import signal
import time
from pathlib import Path

import pytest

from .conftest import Cli
from .test_cli_sign_in_and_contacts import until_exit_0

pytestmark = pytest.mark.e2e
LARGE_ROWS = 30_000  # enough to be still running when Ctrl-C arrives


def people_csv(path: Path, rows: int, bad_every: int = 10) -> Path:
    """``rows`` people; every ``bad_every``-th number is not a number (an `invalid` row)."""
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["Name", "Mobile"])
        for n in range(rows):
            number = "not a number" if n % bad_every == 0 else f"07400 7{n:05d}"
            writer.writerow([f"Person {n}", number])
    return path


def test_a_file_import_shows_its_progress_counts_and_saves_every_row(
    signed_in: Cli, tmp_path: Path
) -> None:
    people = people_csv(tmp_path / "people.csv", 2_000)
    results = tmp_path / "results.csv"

    imported = signed_in.run("import", str(people), "--yes", "--map", "phone=Mobile",
                             "--region", "GB", "--results", str(results))  # fmt: skip

    assert imported.returncode == 0, imported.stderr
    assert re.search(r"^(extracting|validating): [\d,]+/", imported.stdout, re.M)
    assert re.search(r"^completed: 2,000/2,000 rows \(100%\)", imported.stdout, re.M)
    assert "Rows per status" in imported.stdout
    assert re.search(r"invalid\s+│\s+200\b", imported.stdout)
    assert re.search(r"ready to invite\s+│\s+1,800\b", imported.stdout)
    with results.open(newline="") as saved:
        rows = list(csv.DictReader(saved))
    assert len(rows) == 2_000
    assert {row["status"] for row in rows} == {"invalid", "ready_to_invite"}


def test_without_yes_the_columns_are_shown_and_the_import_runs_once_confirmed(
    signed_in: Cli, tmp_path: Path
) -> None:
    people = tmp_path / "people.csv"
    people.write_text("Vorname;Handy\nAnna;07400 900201\nBen;07400 900202\n")

    imported = signed_in.run("import", str(people), "--map", "first_name=Vorname", input="y\n")

    assert imported.returncode == 0, imported.stderr
    assert re.search(r"phone\s+│\s+Handy", imported.stdout)
    assert re.search(r"first name\s+│\s+Vorname", imported.stdout)
    assert "Anna" in imported.stdout  # a sample row
    assert "Import these rows?" in imported.stderr
    assert re.search(r"ready to invite\s+│\s+2\b", imported.stdout)


def test_json_output_parses_and_rejected_rows_exit_4_when_asked(
    signed_in: Cli, tmp_path: Path
) -> None:
    people = people_csv(tmp_path / "people.csv", 50, bad_every=5)

    imported = signed_in.run("import", str(people), "--yes", "--json", "--fail-on-rejected")

    assert imported.returncode == 4, imported.stderr
    answer = json.loads(imported.stdout)
    assert answer["import"]["status"] == "completed"
    counted = {status: n for status, n in answer["import"]["counts"].items() if n}
    assert counted == {"invalid": 10, "ready_to_invite": 40}
    assert "10 rows were rejected" in imported.stderr


def test_ctrl_c_leaves_the_import_running_and_import_status_reattaches(
    signed_in: Cli, tmp_path: Path
) -> None:
    people = people_csv(tmp_path / "large.csv", LARGE_ROWS)
    watching = signed_in.start("import", str(people), "--yes")
    assert watching.stdout is not None
    first_line = watching.stdout.readline()  # the first progress line: the import runs

    watching.send_signal(signal.SIGINT)
    _, stderr = watching.communicate(timeout=60)

    assert re.match(r"(extracting|validating): ", first_line), first_line + stderr
    assert watching.returncode == 130, stderr
    [import_id] = re.findall(r"contacts import status (\S+)", stderr)
    status = signed_in.run("import", "status", import_id, "--json")
    assert status.returncode == 0, status.stderr
    ended = json.loads(status.stdout)["import"]
    assert ended["status"] == "completed"
    assert sum(ended["counts"].values()) == LARGE_ROWS


def test_pasted_numbers_are_invited_then_resent_listed_and_deleted(signed_in: Cli) -> None:
    pasted = signed_in.run("paste", "07400 900123; 0800 123 4567, +447400900124", "--invite")

    assert pasted.returncode == 0, pasted.stderr
    lines = pasted.stdout.splitlines()
    assert any("07400 900123" in line and "ready to invite" in line for line in lines)
    assert any("0800 123 4567" in line and "invalid" in line for line in lines)
    assert "Invitations requested: 2" in pasted.stdout

    def two_pending() -> dict[str, object]:
        deadline = time.monotonic() + 30
        while True:
            listed = until_exit_0(signed_in, "invitations", "list")
            if len(listed["items"]) == 2 or time.monotonic() > deadline:
                return listed
            time.sleep(0.3)

    invitations = two_pending()["items"]
    assert {i["destination"] for i in invitations} == {"+447400900123", "+447400900124"}
    first = invitations[0]["invitation_id"]
    too_soon = signed_in.run("invitations", "resend", first)
    assert too_soon.returncode == 1
    assert "Too Many Requests (429)" in too_soon.stderr
    assert signed_in.run("invitations", "delete", first).returncode == 0
    left = json.loads(signed_in.run("invitations", "list", "--json").stdout)["items"]
    assert [i["invitation_id"] for i in left] == [invitations[1]["invitation_id"]]
