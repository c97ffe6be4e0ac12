"""`contacts import FILE` and `contacts import status ID` against a fake importer: one call
with --yes, the preview and confirmation without it, progress, counts, results, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from .conftest import Run
from .fake_api import IMPORT_ID, FakeApi, events, import_record, problem

pytestmark = [pytest.mark.unit, pytest.mark.usefixtures("signed_in")]
IMPORT = f"/v1/imports/{IMPORT_ID}"
COUNTS = {"user_added": 2, "ready_to_invite": 5, "invalid": 1}
DONE = import_record("completed", progress=1.0, total_rows=8, counts=COUNTS)


@pytest.fixture
def people(tmp_path: Path) -> Path:
    path = tmp_path / "people.csv"
    path.write_text("Name,Mobile\nLea,+41 79 123 45 67\n")
    return path


def form_fields(request: httpx.Request) -> dict[str, str]:
    """The multipart form fields of an upload (the file part aside)."""
    fields = {}
    for part in request.content.split(
        b"--" + request.headers["content-type"].split("=")[1].encode()
    ):
        if b'name="' in part and b"filename=" not in part:
            name = part.split(b'name="')[1].split(b'"')[0].decode()
            fields[name] = part.split(b"\r\n\r\n", 1)[1].rstrip(b"\r\n").decode()
    return fields


def test_with_yes_one_upload_starts_and_invites_then_the_progress_and_results_follow(
    run: Run, api: FakeApi, people: Path, tmp_path: Path
) -> None:
    api.on("POST", "/v1/imports/files", httpx.Response(201, json={
        **import_record("extracting"), "sample_rows": [["Lea", "+41 79 123 45 67"]]}))  # fmt: skip
    api.on("GET", f"{IMPORT}/progress", events(
        {"state": "validating", "rows_done": 4, "total_rows": 8},
        {"state": "completed", "rows_done": 8, "total_rows": 8, "counts": COUNTS}))  # fmt: skip
    api.on("GET", IMPORT, httpx.Response(200, json=DONE))
    api.on("GET", f"{IMPORT}/results.xlsx", httpx.Response(200, content=b"PK-the-workbook"))
    results = tmp_path / "results.xlsx"

    result = run("import", str(people), "--yes", "--map", "phone=Mobile", "--region", "CH",
                 "--invite", "--results", str(results), "--json")  # fmt: skip

    assert result.exit_code == 0, result.stderr
    [upload] = api.sent("POST", "/v1/imports/files")
    form = form_fields(upload)
    assert form["start"] == "true" and form["invite"] == "true"
    assert form["default_region"] == "CH"
    assert form["phone"] == "Mobile"  # the columns chosen travel as fields of the upload
    assert api.sent("POST", f"{IMPORT}/invitations") == []  # the upload asked for them
    answer = json.loads(result.stdout)
    assert answer["import"]["counts"] == COUNTS
    assert answer["results_file"] == str(results)
    assert results.read_bytes() == b"PK-the-workbook"
    assert "completed: 8/8 rows (100%)" in result.stderr  # the progress, for the person


def test_without_yes_the_columns_and_rows_are_shown_and_confirmed_first(
    run: Run, api: FakeApi, people: Path
) -> None:
    api.on("POST", "/v1/imports/files", httpx.Response(201, json={
        **import_record("uploaded", sheets=[{"name": "Notes", "has_phone_column": False},
                                            {"name": "People", "has_phone_column": True}],
                        sheet="People", encoding="windows-1251"),
        "sample_rows": [["Лея", "+41 79 123 45 67"]]}))  # fmt: skip
    api.on("PUT", f"{IMPORT}/mapping", httpx.Response(200, json=import_record("extracting")))
    api.on("GET", f"{IMPORT}/progress",
           events({"state": "extracted", "rows_done": 8, "total_rows": 8}),
           events({"state": "completed", "rows_done": 8, "total_rows": 8}))  # fmt: skip
    api.on("GET", IMPORT, httpx.Response(200, json=import_record("extracted", total_rows=8)),
           httpx.Response(200, json=DONE))  # fmt: skip
    api.on("POST", f"{IMPORT}/start", httpx.Response(200, json=import_record("validating")))
    api.on("POST", f"{IMPORT}/invitations",
           httpx.Response(200, json={"requested": 5, "skipped": 0}))  # fmt: skip

    result = run("import", str(people), "--map", "first_name=Name", "--invite", input="y\n")

    assert result.exit_code == 0, result.stderr
    for shown in ('sheet "People"', '"Notes", "People"', "encoding windows-1251", "Лея",
                  "first name", "ready to invite", "added: already a user", "invalid",
                  "Invitations requested: 5"):  # fmt: skip
        assert shown in result.stdout
    [mapping] = api.sent("PUT", f"{IMPORT}/mapping")
    chosen = json.loads(mapping.content)
    assert (chosen["phone"], chosen["first_name"], chosen["display_name"]) == (
        "Mobile",
        "Name",
        "Name",
    )
    assert len(api.sent("POST", f"{IMPORT}/start")) == 1
    assert "start" not in form_fields(api.sent("POST", "/v1/imports/files")[0])


def test_saying_no_imports_nothing(run: Run, api: FakeApi, people: Path) -> None:
    api.on("POST", "/v1/imports/files", httpx.Response(201, json={
        **import_record("uploaded"), "sample_rows": []}))  # fmt: skip

    result = run("import", str(people), input="n\n")

    assert result.exit_code == 0
    assert "Not imported." in result.stdout
    assert api.sent("PUT", f"{IMPORT}/mapping") == []
    assert api.sent("POST", f"{IMPORT}/start") == []


def test_a_failed_import_exits_4_and_says_why(run: Run, api: FakeApi) -> None:
    failed = import_record("failed", error={"error": "binary_content",
                                            "message": "Row 12, column B holds binary data."})  # fmt: skip
    api.on("GET", IMPORT, httpx.Response(200, json=failed))

    result = run("import", "status", IMPORT_ID)

    assert result.exit_code == 4
    assert "failed. Row 12, column B holds binary data." in result.stdout


def test_rejected_rows_exit_4_only_when_asked(run: Run, api: FakeApi) -> None:
    api.on("GET", IMPORT, httpx.Response(200, json=DONE))

    assert run("import", "status", IMPORT_ID).exit_code == 0
    strict = run("import", "status", IMPORT_ID, "--fail-on-rejected")
    assert strict.exit_code == 4
    assert "1 rows were rejected" in strict.stderr


def test_the_results_of_an_import_past_its_retention_are_a_sentence_and_its_counts(
    run: Run, api: FakeApi, tmp_path: Path
) -> None:
    gone = ("The rows and files of this import were deleted: they are kept 30 days after an "
            "import finishes (IMPORT_RETENTION_DAYS).")  # fmt: skip
    api.on(
        "GET", IMPORT, httpx.Response(200, json={**DONE, "rows_purged_at": "2026-12-03T10:00:00Z"})
    )
    api.on("GET", f"{IMPORT}/results.csv", problem(410, "import_rows_purged", gone))
    results = tmp_path / "results.csv"

    result = run("import", "status", IMPORT_ID, "--results", str(results))
    as_json = run("import", "status", IMPORT_ID, "--results", str(results), "--json")

    assert result.exit_code == as_json.exit_code == 1
    assert "deleted on 2026-12-03" in result.stdout and "Rows per status" in result.stdout
    assert f"The results were not saved. {gone}" in " ".join(result.stderr.split())
    assert "Traceback" not in result.stdout + result.stderr
    assert as_json.stdout == ""  # a failure: the problem on stderr, as for every command
    assert json.loads(as_json.stderr.strip().splitlines()[-1])["error"] == "import_rows_purged"
    assert not results.exists()


def test_ctrl_c_while_watching_leaves_the_import_running_and_says_how_to_return(
    run: Run, api: FakeApi
) -> None:
    def interrupted(request: httpx.Request) -> httpx.Response:
        raise KeyboardInterrupt

    api.on("GET", IMPORT, httpx.Response(200, json=import_record("validating", total_rows=8)))
    api.on("GET", f"{IMPORT}/progress", interrupted)

    result = run("import", "status", IMPORT_ID, "--json")

    assert result.exit_code == 130
    assert result.stdout == ""
    stopped = json.loads(result.stderr.strip().splitlines()[-1])
    assert stopped["status_command"] == f"contacts import status {IMPORT_ID}"
    assert api.sent("DELETE", IMPORT) == []


@pytest.mark.parametrize(
    "option", [("--map", "telephone=Mobile"), ("--map", "phone"), ("--results", "out.pdf")]
)
def test_bad_options_are_usage_errors_before_anything_is_sent(
    run: Run, api: FakeApi, people: Path, option: tuple[str, str]
) -> None:
    result = run("import", str(people), "--yes", *option)

    assert result.exit_code == 2
    assert api.requests == []


def test_a_refused_upload_names_the_field(run: Run, api: FakeApi, people: Path) -> None:
    api.on("POST", "/v1/imports/files",
           problem(422, "sheet_not_found", 'The workbook has no sheet "Data".', "sheet"))  # fmt: skip

    result = run("import", str(people), "--yes", "--sheet", "Data")

    assert result.exit_code == 1
    assert 'The workbook has no sheet "Data".' in result.stderr
    assert "[field: sheet]" in result.stderr
