"""German date entry in the admin: `TT.MM.JJJJ`, `HH:MM`, `TT.MM.JJJJ HH:MM`, strictly.

Every date, time and date-time field of the admin's model forms (pages, inline
occurrences, snippets, Wagtail's go-live and expiry) parses with the fields below, so
an editor's input is either the date they meant or a German message on the field —
never a different date. Accepted: `9.12.2026`, `09.12.2026`, `18:30`, `9.12.2026 18:30`,
and the ISO forms an import or the API hands over (`2026-12-09`, `18:30:00`,
`2026-12-09T18:30`). Two-digit years (`9.12.26`) are refused with a request for four
digits: accepting them means guessing the century (Python's `%y` turns `69` into 1969,
the picker turned `26` into 1926), and a wrong guess publishes an event in the wrong
year. Partial input (`9.12.`), impossible days (`31.02.2026`), other notations
(`12/09/2026`) and words are refused as well.

The admin's datetime picker is told not to rewrite what was typed (its default on blur
replaces anything it cannot parse with the current date), and its icon buttons get German
names: `static/hub/admin-dates.js`; `static/hub/admin-dates.css` keeps its neighbouring
months' days legible.
"""

import datetime as dt
import re
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.utils import from_current_timezone
from django.templatetags.static import static
from django.utils.html import format_html

from wagtail import hooks
from wagtail.admin import widgets
from wagtail.admin.forms.models import register_form_field_override

DATE_FORMAT = "%d.%m.%Y"
TIME_FORMAT = "%H:%M"
DATETIME_FORMAT = f"{DATE_FORMAT} {TIME_FORMAT}"
# Years an editor plausibly means; a typo like `09.12.0226` is refused, not stored.
FIRST_YEAR = 1900
LAST_YEAR = 2199

DATE_EXAMPLE = "09.12.2026"
TIME_EXAMPLE = "18:30"
DATE_FORMAT_MESSAGE = (
    f"Bitte geben Sie das Datum als TT.MM.JJJJ ein, z. B. {DATE_EXAMPLE}."
)
TWO_DIGIT_YEAR_MESSAGE = (
    f"Bitte geben Sie das Jahr vierstellig ein (TT.MM.JJJJ), z. B. {DATE_EXAMPLE}."
)
NO_SUCH_DAY_MESSAGE = (
    "Den %(value)s gibt es nicht. Bitte prüfen Sie Tag und Monat (TT.MM.JJJJ)."
)
YEAR_RANGE_MESSAGE = (
    f"Bitte prüfen Sie das Jahr: erlaubt sind {FIRST_YEAR} bis {LAST_YEAR}."
)
TIME_FORMAT_MESSAGE = (
    f"Bitte geben Sie die Uhrzeit als HH:MM ein, z. B. {TIME_EXAMPLE}."
)
DATETIME_FORMAT_MESSAGE = (
    "Bitte geben Sie Datum und Uhrzeit als TT.MM.JJJJ HH:MM ein, "
    f"z. B. {DATE_EXAMPLE} {TIME_EXAMPLE}."
)

_GERMAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_GERMAN_SHORT_YEAR = re.compile(r"\d{1,2}\.\d{1,2}\.\d{2}")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?")
_DATETIME_SEPARATOR = re.compile(r"\s+|T")


def parse_date(text: str) -> dt.date:
    """The date in `TT.MM.JJJJ` (day and month may have one digit) or ISO `JJJJ-MM-TT`."""
    text = text.strip()
    if match := _GERMAN_DATE.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
    elif match := _ISO_DATE.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    elif _GERMAN_SHORT_YEAR.fullmatch(text):
        raise ValidationError(TWO_DIGIT_YEAR_MESSAGE, code="two_digit_year")
    else:
        raise ValidationError(DATE_FORMAT_MESSAGE, code="invalid")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(YEAR_RANGE_MESSAGE, code="year_range")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValidationError(
            NO_SUCH_DAY_MESSAGE, code="no_such_day", params={"value": text}
        ) from None


def parse_time(text: str) -> dt.time:
    """The time in `HH:MM` (24 hours; seconds allowed for imported `HH:MM:SS`)."""
    match = _TIME.fullmatch(text.strip())
    if not match:
        raise ValidationError(TIME_FORMAT_MESSAGE, code="invalid")
    hour, minute, second = (int(part or 0) for part in match.groups())
    try:
        return dt.time(hour, minute, second)
    except ValueError:
        raise ValidationError(TIME_FORMAT_MESSAGE, code="invalid") from None


def parse_datetime(text: str) -> dt.datetime:
    """A naive date and time, `TT.MM.JJJJ HH:MM` or ISO `JJJJ-MM-TTTHH:MM[:SS]`."""
    parts = _DATETIME_SEPARATOR.split(text.strip())
    if len(parts) != 2 or not all(parts):
        if len(parts) == 1 and _GERMAN_SHORT_YEAR.fullmatch(parts[0]):
            raise ValidationError(TWO_DIGIT_YEAR_MESSAGE, code="two_digit_year")
        raise ValidationError(DATETIME_FORMAT_MESSAGE, code="invalid")
    date_text, time_text = parts
    date = parse_date(date_text)
    try:
        time = parse_time(time_text)
    except ValidationError:
        raise ValidationError(DATETIME_FORMAT_MESSAGE, code="invalid") from None
    return dt.datetime.combine(date, time)


class GermanDateField(forms.DateField):
    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        return parse_date(str(value))


class GermanTimeField(forms.TimeField):
    def to_python(self, value: Any) -> dt.time | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.time):
            return value
        return parse_time(str(value))


class GermanDateTimeField(forms.DateTimeField):
    def to_python(self, value: Any) -> dt.datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return from_current_timezone(value)
        if isinstance(value, dt.date):
            return from_current_timezone(
                dt.datetime(value.year, value.month, value.day)
            )
        return from_current_timezone(parse_datetime(str(value)))


class _Placeholder:
    """Shows the expected notation in the empty field."""

    placeholder: ClassVar[str]

    def __init__(self, attrs: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__({"placeholder": self.placeholder, **(attrs or {})}, **kwargs)  # type: ignore[call-arg]


class GermanDateInput(_Placeholder, widgets.AdminDateInput):
    placeholder = "TT.MM.JJJJ"


class GermanTimeInput(_Placeholder, widgets.AdminTimeInput):
    placeholder = "HH:MM"


class GermanDateTimeInput(_Placeholder, widgets.AdminDateTimeInput):
    placeholder = "TT.MM.JJJJ HH:MM"


FIELD_OVERRIDES: dict[type[models.Field], dict[str, Any]] = {
    models.DateField: {"form_class": GermanDateField, "widget": GermanDateInput},
    models.TimeField: {"form_class": GermanTimeField, "widget": GermanTimeInput},
    models.DateTimeField: {
        "form_class": GermanDateTimeField,
        "widget": GermanDateTimeInput,
    },
}


def admin_dates_js() -> str:
    return format_html('<script src="{}"></script>', static("hub/admin-dates.js"))


def admin_dates_css() -> str:
    return format_html(
        '<link rel="stylesheet" href="{}">', static("hub/admin-dates.css")
    )


def register() -> None:
    """Use the German fields in every Wagtail model form; keep the picker off typed
    text and make it readable and named (WCAG).

    Called once from `PagesConfig.ready()`, after Wagtail registered its own overrides
    (a later registration for the same model field class replaces the earlier one).
    """
    for db_field, override in FIELD_OVERRIDES.items():
        register_form_field_override(db_field, override=override)
    hooks.register("insert_global_admin_js", admin_dates_js)
    hooks.register("insert_global_admin_css", admin_dates_css)
