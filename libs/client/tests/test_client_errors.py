"""Refusals raise ApiError with the answer's problem details, of the subclass of its status."""

from __future__ import annotations

import httpx
import pytest
from contacts_client import ApiError, Invalid, NotFound, ServerError

from .conftest import Clients, Script, problem
from .samples import USER_ID

pytestmark = pytest.mark.unit


async def test_a_problem_answer_becomes_an_error_carrying_its_details(clients: Clients) -> None:
    refused = problem(422, "phone_invalid", "The number has too few digits.")
    refused.headers["Content-Type"] = "application/problem+json"
    body = {**refused.json(), "field": "text", "problems": [{"field": "text", "detail": "short", "error": "x"}]}  # fmt: skip
    client = clients.on(Script(httpx.Response(422, json=body, headers=refused.headers)))

    with pytest.raises(Invalid) as raised:
        await clients.call(client.imports.paste_numbers, "12")

    error = raised.value
    assert isinstance(error, ApiError)
    assert (error.status, error.error, error.field) == (422, "phone_invalid", "text")
    assert error.type == "urn:contacts:error:phone_invalid"
    assert error.title == "Unprocessable Entity"
    assert error.detail == "The number has too few digits."
    assert error.instance == "/v1/x"
    assert error.problems == [{"field": "text", "detail": "short", "error": "x"}]
    assert str(error) == "422 phone_invalid (field text): The number has too few digits."


async def test_the_earlier_error_shape_is_read_too(clients: Clients) -> None:
    earlier = {"error": "contact_not_found", "message": "No such contact.", "field": None}
    client = clients.on(Script(httpx.Response(404, json=earlier)))

    with pytest.raises(NotFound) as raised:
        await clients.call(client.contacts.read_contact, USER_ID)

    assert (raised.value.error, raised.value.detail) == ("contact_not_found", "No such contact.")


async def test_an_answer_that_is_not_json_keeps_its_text_as_the_detail(clients: Clients) -> None:
    page = httpx.Response(502, text="<html>Bad gateway</html>")
    client = clients.on(Script(page))

    with pytest.raises(ServerError) as raised:
        await clients.call(client.contacts.read_contact, USER_ID)

    error = raised.value
    assert (error.status, error.error, error.title) == (502, "http_error", "Bad Gateway")
    assert error.detail == "<html>Bad gateway</html>"


def test_retry_after_as_an_http_date_is_read_as_seconds_from_now() -> None:
    later = "Wed, 21 Oct 2099 07:28:00 GMT"
    answer = httpx.Response(503, json={"error": "overloaded"}, headers={"Retry-After": later})

    error = ApiError.from_response(answer)

    assert error.retry_after is not None and error.retry_after > 3600
