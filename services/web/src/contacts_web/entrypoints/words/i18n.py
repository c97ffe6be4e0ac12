"""The words of the app in the reader's language: one gettext catalogue (English source
words, French translations in locale/fr/LC_MESSAGES/messages.po), read at start-up.

The language is the `lang` cookie (set by the links at the foot of every page), else the
best match of the browser's Accept-Language, else English. Templates and Python code call
the same `gettext`, which reads the request's language from a context variable."""

from __future__ import annotations

import gettext as gettext_module
import io
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

LOCALE_DIR = Path(__file__).parents[2] / "locale"
LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"
LANGUAGE_COOKIE = "lang"
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}

_language: ContextVar[str] = ContextVar("language", default=DEFAULT_LANGUAGE)


@cache
def translations(language: str) -> gettext_module.NullTranslations:
    """The catalogue of `language` (English: the source words themselves)."""
    if language == DEFAULT_LANGUAGE:
        return gettext_module.NullTranslations()
    with (LOCALE_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext_module.GNUTranslations(compiled)


def current_language() -> str:
    return _language.get()


def gettext(message: str) -> str:
    return translations(_language.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_language.get()).ngettext(singular, plural, n)


_ = gettext


def format_number(number: int) -> str:
    """`number` written as the reader's language writes it (1,000 in English, 1 000 in French)."""
    return format_decimal(number, locale=_language.get())


def choose_language(connection: HTTPConnection) -> str:
    chosen = connection.cookies.get(LANGUAGE_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    for tag in _accepted(connection.headers.get("accept-language", "")):
        language = tag.split("-")[0].lower()
        if language in LANGUAGES:
            return language
    return DEFAULT_LANGUAGE


def _accepted(header: str) -> list[str]:
    """Accept-Language's tags, best first (q-values; at most 20 read)."""
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag:
            weighted.append((-quality, index, tag))
    return [tag for _q, _i, tag in sorted(weighted)]


def language_name(language: str) -> str:
    return LANGUAGE_NAMES.get(language) or Locale.parse(language).get_display_name() or language


class LanguageMiddleware:
    """Sets the request's language for everything that runs on its behalf."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = _language.set(choose_language(HTTPConnection(scope)))
        try:
            await self.app(scope, receive, send)
        finally:
            _language.reset(token)
