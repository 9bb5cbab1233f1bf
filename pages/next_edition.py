"""The next edition of an event: a draft copy with its dates moved by one offset.

The copy is Wagtail's own (`CopyPageAction`), so contacts, documents, target groups,
topics, venue and city come along and the history shows who copied what; what belongs
to the old edition only (its status, the calendar's change counter, scheduled
publishing) starts afresh, and the copy stays a draft until an editor publishes it.
"""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django.db import models

from wagtail.actions.copy_page import CopyPageAction
from wagtail.models import Page

from pages import series as series_rules
from pages.enums import EventStatus
from pages.models import EventCancellation, EventOccurrence, EventPage, EventRecurrence

WEEKDAYS = ("Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So.")
# Four-digit years in a title or label: "Woche der Vielfalt 2020" → 2021.
_YEAR = re.compile(r"(?<!\d)(19\d{2}|2[01]\d{2})(?!\d)")


class Shift(models.TextChoices):
    """How the dates move."""

    YEAR_WEEKDAY = "year_weekday", "Ein Jahr später, gleicher Wochentag (52 Wochen)"
    YEAR_DATE = "year_date", "Ein Jahr später, gleiches Kalenderdatum"
    WEEKS = "weeks", "Um eine Anzahl Wochen"
    FIRST_DATE = "first_date", "Neues Datum für den ersten Termin"


@dataclass(frozen=True)
class DateShift:
    """One offset for every date of an event (occurrences and registration deadline)."""

    mode: Shift
    weeks: int = 0
    delta: dt.timedelta = dt.timedelta(0)

    @classmethod
    def of(
        cls,
        mode: Shift,
        *,
        weeks: int | None = None,
        old_first: dt.date | None = None,
        new_first: dt.date | None = None,
    ) -> "DateShift":
        if mode == Shift.WEEKS:
            return cls(mode, weeks=weeks or 0, delta=dt.timedelta(weeks=weeks or 0))
        if mode == Shift.YEAR_WEEKDAY:
            return cls(mode, weeks=52, delta=dt.timedelta(weeks=52))
        if mode == Shift.FIRST_DATE and old_first and new_first:
            return cls(mode, delta=new_first - old_first)
        return cls(mode)

    def __call__(self, date: dt.date) -> dt.date:
        if self.mode == Shift.YEAR_DATE:
            try:
                return date.replace(year=date.year + 1)
            except ValueError:  # 29.02. in a year without one
                return date.replace(year=date.year + 1, day=28)
        return date + self.delta


def german_date(date: dt.date, *, weekday: bool = True) -> str:
    text = f"{date:%d.%m.%Y}"
    return f"{WEEKDAYS[date.weekday()]}, {text}" if weekday else text


def next_year_in(text: str, years: int = 1) -> str:
    """Every year mentioned in `text`, `years` later ("Woche der Vielfalt 2020" → 2021)."""
    return _YEAR.sub(lambda match: str(int(match.group()) + years), text)


def occurrences_of(event: EventPage) -> list[EventOccurrence]:
    """The event's dates as the editor last saved them (the latest revision)."""
    source = latest_version(event)
    return sorted(
        source.occurrences.all(),
        key=lambda o: (o.start_date, o.start_time or dt.time.min),
    )


def latest_version(event: EventPage) -> EventPage:
    """The event as the editor sees it in the editor: its draft, if it has one."""
    if not event.has_unpublished_changes or not event.latest_revision_id:
        return event
    latest: EventPage = event.get_latest_revision_as_object()
    return latest


@dataclass(frozen=True)
class MovedDate:
    """One line of the preview: an occurrence (or the deadline) before and after."""

    label: str
    before: str
    after: str


def preview(event: EventPage, shift: DateShift) -> list[MovedDate]:
    """The event's dates and where the shift puts them, in German notation."""
    lines = []
    for occurrence in occurrences_of(event):
        lines.append(
            MovedDate("Termin", *(_span(occurrence, move) for move in (None, shift)))
        )
    deadline = latest_version(event).registration_deadline
    if deadline:
        lines.append(
            MovedDate(
                "Anmeldeschluss",
                german_date(deadline),
                german_date(shift(deadline)),
            )
        )
    return lines


def _span(
    occurrence: EventOccurrence, move: Callable[[dt.date], dt.date] | None
) -> str:
    move = move or (lambda date: date)
    text = german_date(move(occurrence.start_date))
    if occurrence.end_date and occurrence.end_date != occurrence.start_date:
        text += f" – {german_date(move(occurrence.end_date))}"
    if occurrence.start_time:
        text += f", {occurrence.start_time:%H:%M}"
        if occurrence.end_time:
            text += f"–{occurrence.end_time:%H:%M}"
        text += " Uhr"
    return text


# Fields of the old edition that do not describe the next one.
FRESH_START: dict[str, Any] = {
    "status": EventStatus.SCHEDULED,
    "postponed_note": "",
    "previous_start_date": None,
    "go_live_at": None,
    "expire_at": None,
    "expired": False,
    "locked": False,
    "locked_at": None,
    "locked_by": None,
    "schedule_sequence": 0,
    "schedule_signature": "",
    "first_starts_at": None,
    "first_ends_at": None,
    "last_ends_at": None,
}


def copy_for_next_edition(
    event: EventPage, *, title: str, slug: str, shift: DateShift, user: Any
) -> EventPage:
    """A draft copy of `event` beside it, every date moved by `shift`, made by `user`.

    Raises `CopyPagePermissionError` when `user` may not add the copy under the parent.
    """
    source = latest_version(event)
    deadline = source.registration_deadline
    update_attrs = {
        **FRESH_START,
        "title": title,
        "draft_title": title,
        "slug": slug,
        "seo_title": "",
        "registration_deadline": shift(deadline) if deadline else None,
    }

    def move_dates(_old: Page, _new: Page, relation: Any, child: Any) -> None:
        if isinstance(child, EventRecurrence):
            move_series(child, shift)
        elif isinstance(child, EventCancellation):
            child.date = shift(child.date)
        if not isinstance(child, EventOccurrence):
            return
        old_year = child.start_date.year
        child.start_date = shift(child.start_date)
        if child.end_date:
            child.end_date = shift(child.end_date)
        if child.series_date:
            child.series_date = shift(child.series_date)
        if child.label:
            child.label = next_year_in(child.label, child.start_date.year - old_year)

    action = CopyPageAction(
        source,
        to=event.get_parent(),
        update_attrs=update_attrs,
        copy_revisions=False,
        keep_live=False,
        user=user,
        process_child_object=move_dates,
    )
    copy = action.execute()
    copy = EventPage.objects.get(pk=copy.pk)
    follow_series(copy)
    return copy


def move_series(rule: EventRecurrence, shift: DateShift) -> None:
    """Move a series' first and last date. A monthly series on a fixed n-th weekday
    ("every 2nd Tuesday") starts on that weekday of the month its first date moved to,
    so the copy keeps its rule."""
    start = shift(rule.start_date)
    if rule.frequency == series_rules.MONTHLY and rule.weekday_ordinal:
        start = nth_weekday(start, rule.start_date.weekday(), rule.weekday_ordinal)
    rule.start_date = start
    if rule.until:
        rule.until = shift(rule.until)


def nth_weekday(day: dt.date, weekday: int, ordinal: int) -> dt.date:
    """The `ordinal`-th (-1: last) `weekday` of `day`'s month."""
    first = day.replace(day=1)
    if ordinal == series_rules.LAST:
        following = (first + dt.timedelta(days=32)).replace(day=1)
        last = following - dt.timedelta(days=1)
        return last - dt.timedelta(days=(last.weekday() - weekday) % 7)
    first_match = first + dt.timedelta(days=(weekday - first.weekday()) % 7)
    return first_match + dt.timedelta(weeks=ordinal - 1)


def follow_series(copy: EventPage) -> None:
    """Bring a copied series' dates in line with its moved rule (the copy's draft).

    Moved dates and extra dates came along moved by the same offset; a cancellation
    that is no longer a date of the rule (a monthly series re-anchored on its weekday)
    is dropped, and dates the rule now has are added.
    """
    rule = series_rules.recurrence_of(copy)
    if rule is None or series_rules.rule_errors(rule):
        return
    dates = set(series_rules.expand(rule, series_rules.today()))
    cancellations = list(copy.cancellations.all())
    kept = [c for c in cancellations if c.date in dates]
    if len(kept) != len(cancellations):
        copy.cancellations.set(kept)
    if not series_rules.reconcile(copy, series_rules.today()) and len(kept) == len(
        cancellations
    ):
        return
    # The copy's own checks ran when it was made; only its dates change here.
    cast(Any, copy).save(clean=False)
    revision = copy.latest_revision
    if revision is not None:
        revision.content = copy.serializable_data()
        revision.save(update_fields=["content"])
