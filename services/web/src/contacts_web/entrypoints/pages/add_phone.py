"""Add Contacts with phone numbers: one number or several (commas, tabs, new lines), an
optional country for numbers written without their country code, Next; then the import's
statuses page. Back from there (`?again=`) fills the field with that import's numbers."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from contacts_client import Invalid, RateLimited, TooLarge
from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response

from contacts_web.domain.places import countries
from contacts_web.entrypoints.browser.csrf import csrf_protected
from contacts_web.entrypoints.redirects import go_to
from contacts_web.entrypoints.signed_in import SignedInDep
from contacts_web.entrypoints.templating import render
from contacts_web.entrypoints.words.i18n import current_language
from contacts_web.entrypoints.words.refusals import refusal_words
from contacts_web.handlers.pasted_numbers import numbers_text, statuses_of

router = APIRouter(dependencies=[Depends(csrf_protected)], include_in_schema=False)
Numbers = Annotated[str, Form()]  # as long as the web app's body limit lets it be
Country = Annotated[str, Form(pattern="^([A-Z]{2})?$")]


@router.get("/contacts/add/phone")
async def phone_numbers_page(
    request: Request, user: SignedInDep, again: Annotated[UUID | None, Query()] = None
) -> Response:
    """The form; with `again`, holding the numbers of that import to correct them."""
    numbers, country = "", ""
    if again is not None:
        numbers = await numbers_text(user.platform, again)
        country = (await user.platform.imports.read_import(again)).default_region
    return _form(request, numbers, country)


@router.post("/contacts/add/phone")
async def paste_numbers(
    request: Request, user: SignedInDep, numbers: Numbers, country: Country = ""
) -> Response:
    try:
        imported = await user.platform.imports.paste_numbers(
            numbers, default_region=country or None
        )
    except (Invalid, TooLarge, RateLimited) as refused:
        return _form(request, numbers, country, refusal_words(refused), refused.status)
    imported = await statuses_of(user.platform, imported)
    return go_to(request, f"/imports/{imported.import_id}")


def _form(
    request: Request, numbers: str, country: str, error: str | None = None, status: int = 200
) -> Response:
    return render(
        request, "add/phone.html", status, section="add", numbers=numbers, country=country,
        countries=countries(current_language()), error=error,
    )  # fmt: skip
