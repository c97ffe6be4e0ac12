"""Every word of the web app is in its one catalogue, and translated into French with the
same placeholders; the catalogue file is what `make translations` extracts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

pytestmark = pytest.mark.unit

SERVICE = Path(__file__).parents[1]
FRENCH = SERVICE / "src/contacts_web/locale/fr/LC_MESSAGES/messages.po"
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def words_in_the_code() -> set[str | tuple[str, ...]]:
    method_map = [
        ("src/contacts_web/**.py", "python"),
        ("src/contacts_web/templates/**.html", "jinja2"),
    ]
    options = {"src/contacts_web/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    found = extract_from_dir(SERVICE, method_map, options, keywords=keywords)
    return {message for _file, _line, message, _comments, _context in found}


def french() -> dict[str | tuple[str, ...], str | tuple[str, ...]]:
    with FRENCH.open("rb") as po:
        return {m.id: m.string for m in read_po(po, locale="fr") if m.id}


def test_every_word_has_a_french_translation():
    catalogue = french()
    missing = [word for word in words_in_the_code() if not _translated(catalogue.get(_key(word)))]
    assert missing == [], "run `make translations` and translate these in messages.po"


def test_translations_keep_their_placeholders():
    for word, translation in french().items():
        sources = word if isinstance(word, tuple) else (word,)
        targets = translation if isinstance(translation, tuple) else (translation,)
        expected = set(_PLACEHOLDER.findall(" ".join(sources)))
        for target in targets:
            assert set(_PLACEHOLDER.findall(target)) <= expected, (word, target)
            assert set(_PLACEHOLDER.findall(target)) >= expected - {"count", "num"}, (word, target)


def test_the_catalogue_holds_no_word_the_code_dropped():
    in_code = {_key(word) for word in words_in_the_code()}
    assert [word for word in french() if word not in in_code] == []


def _key(word: str | tuple[str, ...]) -> str | tuple[str, ...]:
    return word[:2] if isinstance(word, tuple) else word


def _translated(translation: str | tuple[str, ...] | None) -> bool:
    if isinstance(translation, tuple):
        return all(translation)
    return bool(translation)
