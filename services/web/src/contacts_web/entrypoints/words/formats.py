"""Numbers, dates and waits in the reader's language (Babel's CLDR data): "100,000" or
"100 000", "5 December 2026" or "5 décembre 2026", "3 seconds" or "3 secondes". Times are
shown in UTC, said so: the app does not know the reader's time zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from babel.dates import format_date, format_time, format_timedelta
from babel.numbers import format_decimal

from contacts_web.entrypoints.words.i18n import current_language
from contacts_web.entrypoints.words.i18n import gettext as _


def number(value: int) -> str:
    return format_decimal(value, locale=current_language())


def day(moment: datetime | None) -> str:
    return format_date(moment, "long", locale=current_language()) if moment else ""


def moment(when: datetime | None) -> str:
    """A day and a time: "Dec 5, 2026 at 5:40 AM UTC"."""
    if when is None:
        return ""
    language = current_language()
    return _("%(day)s at %(time)s UTC") % {
        "day": format_date(when, "medium", locale=language),
        "time": format_time(when, "short", tzinfo=UTC, locale=language),
    }


def wait(seconds: float) -> str:
    """How long until something may be tried again, rounded to its largest unit."""
    span = timedelta(seconds=max(1.0, seconds))
    return format_timedelta(span, threshold=1, locale=current_language())


FORMATS: dict[str, Any] = {"number": number, "day": day, "moment": moment, "wait": wait}
"""For templates: `render(..., **FORMATS)`, then `{{ number(page.total) }}`."""
