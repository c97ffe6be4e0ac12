"""A row's reason in the reader's language: the catalogue's words for its code (see
domain/row_reasons.py), with the place named in that language; the service's own English
sentence only for a code or sentence the table does not know."""

from __future__ import annotations

from contacts_client import Row

from contacts_web.domain.places import place_in
from contacts_web.domain.row_reasons import explain
from contacts_web.entrypoints.words.i18n import DEFAULT_LANGUAGE, current_language
from contacts_web.entrypoints.words.i18n import gettext as _


def row_reason(row: Row) -> str | None:
    """Why `row` has its status, in words; None for a row ready to invite (its status says
    it all) or one without a reason."""
    if row.status == "ready_to_invite":
        return None
    explained = explain(row.reason_code, row.reason)
    if explained is None:
        return row.reason
    parameters = dict(explained.parameters)
    if "place" in parameters:
        parameters["place"] = _place_words(parameters["place"])
    return _(explained.message) % parameters if parameters else _(explained.message)


def _place_words(english_place: str) -> str:
    language = current_language()
    place = place_in(english_place, language)
    if language == DEFAULT_LANGUAGE or place is None:
        return english_place  # the service's English words already
    if place.name is None:
        return _("international network, +%(code)s") % {"code": place.calling_code}
    return _("%(country)s, +%(code)s") % {"country": place.name, "code": place.calling_code}
