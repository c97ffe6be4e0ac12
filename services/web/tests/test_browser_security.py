"""The browser-facing defences on their own (no database, no service): the session cookie's
flags, CSRF refusals, the security headers, safe redirects and the reader's language."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from contacts_servicekit.body_limit import BodySizeLimitMiddleware, BodyTooLarge
from contacts_web.entrypoints.browser.cookie import BrowserCookieMiddleware, browser_cookie
from contacts_web.entrypoints.browser.csrf import CsrfRefused, csrf_protected
from contacts_web.entrypoints.browser.security_headers import SecurityHeadersMiddleware
from contacts_web.entrypoints.error_pages import body_too_large
from contacts_web.entrypoints.redirects import local_path
from contacts_web.entrypoints.words.i18n import choose_language
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import PlainTextResponse
from fastapi.testclient import TestClient
from starlette.requests import HTTPConnection

pytestmark = pytest.mark.unit


def app(*, secure: bool) -> FastAPI:
    web = FastAPI()
    web.state.settings = SimpleNamespace(public_origin=None)
    router = APIRouter(dependencies=[Depends(csrf_protected)])

    @router.get("/form")
    async def form(request: Request) -> PlainTextResponse:
        return PlainTextResponse(browser_cookie(request).secret.csrf_token)

    @router.post("/change")
    async def change() -> PlainTextResponse:
        return PlainTextResponse("changed")

    @web.exception_handler(CsrfRefused)
    async def refused(_request: Request, error: Exception) -> PlainTextResponse:
        return PlainTextResponse(str(error), status_code=403)

    web.include_router(router)
    web.add_middleware(BrowserCookieMiddleware, secure=secure, max_age_seconds=60)
    web.add_middleware(SecurityHeadersMiddleware)
    return web


def test_the_session_cookie_is_http_only_and_same_site_and_secure_outside_development():
    local = TestClient(app(secure=False)).get("/form").headers["set-cookie"]
    assert local.startswith("session=") and "HttpOnly" in local and "SameSite=Lax" in local
    assert "Secure" not in local
    deployed = TestClient(app(secure=True), base_url="https://testserver").get("/form")
    assert deployed.headers["set-cookie"].startswith("__Host-session=")
    assert (
        "; Secure" in deployed.headers["set-cookie"] and "Path=/" in deployed.headers["set-cookie"]
    )


def test_a_change_needs_the_sessions_csrf_token():
    browser = TestClient(app(secure=False))
    token = browser.get("/form").text
    assert browser.post("/change").status_code == 403
    assert browser.post("/change", data={"csrf_token": "forged"}).status_code == 403
    assert browser.post("/change", data={"csrf_token": token}).text == "changed"
    assert browser.post("/change", headers={"X-CSRF-Token": token}).text == "changed"
    another = TestClient(app(secure=False))
    assert another.post("/change", data={"csrf_token": token}).status_code == 403  # not its token


def test_a_change_from_another_origin_is_refused_even_with_the_token():
    browser = TestClient(app(secure=False))
    token = browser.get("/form").text
    foreign = browser.post(
        "/change", data={"csrf_token": token}, headers={"Origin": "https://evil.example"}
    )
    assert foreign.status_code == 403
    same = browser.post(
        "/change", data={"csrf_token": token}, headers={"Origin": "http://testserver"}
    )
    assert same.text == "changed"


def test_every_answer_carries_a_strict_content_security_policy_and_is_not_cached():
    answer = TestClient(app(secure=False)).get("/form")
    policy = answer.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "",
        None,
        "contacts",
    ],
)
def test_redirects_stay_on_this_site(target):
    assert local_path(target) == "/contacts"


def test_a_local_path_is_kept():
    assert local_path("/contacts?list=archived") == "/contacts?list=archived"


@pytest.mark.parametrize(
    ("cookie", "accept", "language"),
    [(None, "fr-CH, en;q=0.5", "fr"), (None, "de, en;q=0.9, fr;q=0.8", "en"), (None, "", "en"),
     ("fr", "en", "fr"), ("xx", "fr", "fr"), (None, "en;q=0.2, fr;q=0.9", "fr")],
)  # fmt: skip
def test_the_readers_language(cookie, accept, language):
    headers = [(b"accept-language", accept.encode())]
    if cookie:
        headers.append((b"cookie", f"lang={cookie}".encode()))
    assert choose_language(HTTPConnection({"type": "http", "headers": headers})) == language


def test_a_form_over_the_limit_gets_a_page_in_words_not_json():
    web = app(secure=False)
    web.add_exception_handler(BodyTooLarge, body_too_large)
    web.add_middleware(
        BodySizeLimitMiddleware, max_bytes=1024, max_upload_bytes=4096, answer=body_too_large
    )
    web.add_middleware(BrowserCookieMiddleware, secure=False, max_age_seconds=60)
    browser = TestClient(web)
    token = browser.get("/form").text
    refused = browser.post("/change", data={"csrf_token": token, "text": "1" * 2000})
    assert refused.status_code == 413
    assert refused.headers["content-type"].startswith("text/html")
    assert "1 KB a form can send" in refused.text
    upload = browser.post(
        "/change", data={"csrf_token": token}, files={"file": ("a.csv", b"1" * 5000)}
    )
    assert upload.status_code == 413 and "larger than 4 KB" in upload.text
