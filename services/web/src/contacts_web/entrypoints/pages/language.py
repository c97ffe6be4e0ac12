"""The language links at the foot of every page: remember the choice in a cookie."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from contacts_web.entrypoints.redirects import local_path
from contacts_web.entrypoints.words.i18n import LANGUAGE_COOKIE, LANGUAGES

router = APIRouter(include_in_schema=False)
ONE_YEAR = 365 * 86400


@router.get("/language/{language}")
async def choose_language(
    request: Request, language: str, next: Annotated[str | None, Query(max_length=500)] = None
) -> Response:
    response = RedirectResponse(local_path(next), status_code=303)
    if language in LANGUAGES:
        secure = request.app.state.settings.secure_cookies
        response.set_cookie(LANGUAGE_COOKIE, language, max_age=ONE_YEAR, httponly=True,
                            samesite="lax", secure=secure)  # fmt: skip
    return response
