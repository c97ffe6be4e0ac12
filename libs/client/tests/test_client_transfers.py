"""Files and streams: uploads with their form fields (the file read again by a retry), pages
followed by cursor, progress events, downloads streamed into a file."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from contacts_client import ColumnMapping, NotFound

from .conftest import Clients, Script, problem
from .samples import IMPORT_ID, contact, imported

pytestmark = pytest.mark.unit


async def test_an_upload_sends_the_file_and_its_choices_and_a_retry_sends_it_whole(
    clients: Clients, sleeps: list[float], tmp_path: Path
) -> None:
    listing = tmp_path / "contacts.csv"
    listing.write_text("Name,Mobile\nLea,+447400123456\n")
    answer = httpx.Response(201, json={**imported(), "sample_rows": [["Lea", "+447400123456"]]})
    script = Script(problem(503, "overloaded"), answer)
    client = clients.on(script)

    uploaded = await clients.call(
        client.imports.upload_file, listing, sheet="Contacts", start=True, invite=True,
        mapping=ColumnMapping(phone="Mobile", display_name="Name"),
    )  # fmt: skip

    assert uploaded.sample_rows == [["Lea", "+447400123456"]]
    first, retry = (_form_data(request) for request in script.requests)
    assert first == retry
    assert b'filename="contacts.csv"' in retry and b"Lea,+447400123456" in retry
    for name, value in [("sheet", "Contacts"), ("start", "true"), ("invite", "true"),
                        ("phone", "Mobile"), ("display_name", "Name")]:  # fmt: skip
        assert f'name="{name}"\r\n\r\n{value}\r\n'.encode() in retry


def _names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def _form_data(request: httpx.Request) -> bytes:
    """The multipart body without its boundary (random in each request)."""
    boundary = request.headers["Content-Type"].split("boundary=")[1].encode()
    return request.read().replace(boundary, b"")


async def test_every_item_of_a_list_comes_page_after_page(clients: Clients) -> None:
    pages = [
        httpx.Response(200, json={"items": [contact("Ann")], "next_cursor": "c2", "total": 3}),
        httpx.Response(200, json={"items": [contact("Bo"), contact("Cy")], "next_cursor": None}),
    ]
    script = Script(*pages)
    client = clients.on(script)

    found = await clients.collect(client.contacts.iter_contacts("archived", limit=2))

    assert [c.display_name for c in found] == ["Ann", "Bo", "Cy"]
    first, second = (dict(request.url.params) for request in script.requests)
    assert first == {"list": "archived", "limit": "2"}
    assert second == {"list": "archived", "limit": "2", "cursor": "c2"}


async def test_progress_events_come_as_they_are_sent_up_to_the_final_one(
    clients: Clients,
) -> None:
    events = [
        ("progress", {"state": "validating", "rows_done": 0, "total_rows": 4}),
        ("progress", {"state": "validating", "rows_done": 2, "total_rows": 4, "rate": 1.5}),
        ("end", {"state": "completed", "rows_done": 4, "total_rows": 4, "counts": {"new": 4}}),
        ("progress", {"state": "completed", "rows_done": 4, "total_rows": 4}),  # never read
    ]
    stream = ": heartbeat\n\n" + "".join(
        f"event: {name}\ndata: {json.dumps(data)}\n\n" for name, data in events
    )
    answer = httpx.Response(200, text=stream, headers={"Content-Type": "text/event-stream"})
    script = Script(answer)
    client = clients.on(script)

    seen = await clients.collect(client.imports.watch(IMPORT_ID))

    assert [(e.state, e.rows_done, e.final) for e in seen] == [
        ("validating", 0, False), ("validating", 2, False), ("completed", 4, True),
    ]  # fmt: skip
    assert seen[1].rate == 1.5  # type: ignore[attr-defined]  # a field added later is kept
    assert seen[-1].finished and seen[-1].counts == {"new": 4}
    assert script.paths() == [f"GET /v1/imports/{IMPORT_ID}/progress"]


async def test_a_download_is_written_to_its_file_and_a_refused_one_writes_nothing(
    clients: Clients, tmp_path: Path
) -> None:
    rows = b"row,status\n" + b"".join(b"%d,new\n" % n for n in range(50_000))
    script = Script(httpx.Response(200, content=rows), problem(404, "import_not_found"))
    client = clients.on(script)
    target = tmp_path / "results.csv"

    saved = await clients.call(client.imports.download_results_csv, IMPORT_ID, target)
    with pytest.raises(NotFound):
        await clients.call(client.imports.download_results_xlsx, IMPORT_ID, tmp_path / "r.xlsx")

    assert saved == target and target.read_bytes() == rows
    assert _names(tmp_path) == ["results.csv"]  # no other file, nor a part of one
    assert script.paths()[1] == f"GET /v1/imports/{IMPORT_ID}/results.xlsx"


async def test_add_contact_looks_the_connect_id_up_for_its_grant(clients: Clients) -> None:
    found = {"connect_id": "K7Q-M2X-9HB", "display_name": "Lea", "company_name": None,
             "is_contact_point": False, "add_token": "grant-1"}  # fmt: skip
    script = Script(httpx.Response(200, json=found), httpx.Response(201, json=contact()))
    client = clients.on(script, token="t")

    added = await clients.call(client.contacts.add_contact, "k7q m2x 9hb")

    assert added.display_name == "Lea"
    assert [r.url.raw_path for r in script.requests] == [
        b"/v1/connect-ids/k7q%20m2x%209hb",
        b"/v1/contacts",
    ]
    assert json.loads(script.requests[1].read()) == {
        "connect_id": "k7q m2x 9hb", "add_token": "grant-1",
    }  # fmt: skip
