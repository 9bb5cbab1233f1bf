"""The next edition of an event: a draft copy with its dates moved by one offset.

The copy is Wagtail's own (`CopyPageAction`), so contacts, documents, target groups,
topics, venue and city come along and the history shows who copied what; what belongs
to the old edition only (its status, the calendar's change counter, scheduled
publishing) starts afresh, and the copy stays a draft until an editor publishes it.
"""

import copy as copying
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
YEAR_SHIFT_MIN_DAYS = 335
"""A shift of about eleven months or more moves the years named in titles and labels."""


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

    @classmethod
    def from_signature(cls, signature: str) -> "DateShift | None":
        """The shift a preview showed (`signature`), or None for none or a bad one."""
        mode, _, days = signature.partition(":")
        try:
            return cls(Shift(mode), delta=dt.timedelta(days=int(days)))
        except ValueError:
            return None

    @property
    def signature(self) -> str:
        return f"{self.mode}:{self.delta.days}"

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


def years_shifted(shift: "DateShift", day: dt.date | None) -> int:
    """By how many years `shift` moves `day`: 0 for less than about eleven months."""
    if day is None:
        return 0
    days = (shift(day) - day).days
    if abs(days) < YEAR_SHIFT_MIN_DAYS:
        return 0
    return round(days / 365.25)


def bump_years(text: str, years: int, around: int | None) -> str:
    """The years in `text` near the event's own year (`around` ± 1) moved on by
    `years`: „Woche der Vielfalt 2020“ → 2021, „Schuljahr 2029/2030“ → 2030/2031;
    other years stay („Agenda 2030“ on an event of 2026)."""
    if not years or around is None:
        return text

    def move(match: re.Match[str]) -> str:
        year = int(match.group())
        return str(year + years) if abs(year - around) <= 1 else match.group()

    return _YEAR.sub(move, text)


def first_date(event: EventPage) -> dt.date | None:
    occurrences = occurrences_of(event)
    return occurrences[0].start_date if occurrences else None


def suggested_title(event: EventPage, shift: "DateShift") -> str:
    """The old title with its years moved on when the dates move by about a year."""
    first = first_date(event)
    years = years_shifted(shift, first)
    return bump_years(latest_version(event).title, years, first.year if first else None)


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


def preview(
    event: EventPage, shift: DateShift, title: str | None = None
) -> list[MovedDate]:
    """The event's dates and the dates the copy will have, in German notation (a
    series' dates as its moved rule gives them); with `title`, the new title too."""
    lines = []
    source = latest_version(event)
    if title is not None and title != source.title:
        lines.append(MovedDate("Titel", source.title, title))
    before = occurrences_of(event)
    after = planned_occurrences(event, shift)
    for position in range(max(len(before), len(after))):
        lines.append(
            MovedDate(
                "Termin",
                _span(before[position]) if position < len(before) else "–",
                _span(after[position]) if position < len(after) else "entfällt",
            )
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


def _span(occurrence: EventOccurrence) -> str:
    text = german_date(occurrence.start_date)
    if occurrence.end_date and occurrence.end_date != occurrence.start_date:
        text += f" – {german_date(occurrence.end_date)}"
    if occurrence.start_time:
        text += f", {occurrence.start_time:%H:%M}"
        if occurrence.end_time:
            text += f"–{occurrence.end_time:%H:%M}"
        text += " Uhr"
    if occurrence.label:
        text += f" („{occurrence.label}“)"
    return text


def planned_occurrences(event: EventPage, shift: DateShift) -> list[EventOccurrence]:
    """The dates the copy will have, worked out in memory the way the copy is made
    (`move_child`, then `follow_rule`)."""
    source = latest_version(event)
    move = _child_mover(shift)
    plan = EventPage()
    children: dict[str, list[Any]] = {}
    for relation in ("occurrences", "recurrences", "cancellations"):
        children[relation] = []
        for child in getattr(source, relation).all():
            moved = copying.copy(child)
            moved.pk = None
            move(moved)
            children[relation].append(moved)
        setattr(plan, relation, children[relation])
    follow_rule(plan)
    return sorted(
        plan.occurrences.all(),
        key=lambda o: (o.start_date, o.start_time or dt.time.min),
    )


def _child_mover(shift: DateShift) -> Callable[[Any], None]:
    """Moves one child row of the old edition to the new one, in place."""

    def move(child: Any) -> None:
        if isinstance(child, EventRecurrence):
            move_series(child, shift)
        elif isinstance(child, EventCancellation):
            child.date = shift(child.date)
        if not isinstance(child, EventOccurrence):
            return
        old_start = child.start_date
        child.start_date = shift(child.start_date)
        if child.end_date:
            child.end_date = shift(child.end_date)
        if child.series_date:
            child.series_date = shift(child.series_date)
        if child.label:
            # A label's years are read around its own date's year.
            child.label = bump_years(
                child.label, years_shifted(shift, old_start), old_start.year
            )

    return move


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

    move = _child_mover(shift)

    def move_dates(_old: Page, _new: Page, relation: Any, child: Any) -> None:
        move(child)

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


def follow_rule(page: EventPage) -> bool:
    """Drop cancellations the moved rule no longer has and reconcile the page's rows
    with it, in memory; whether anything changed."""
    rule = series_rules.recurrence_of(page)
    if rule is None or series_rules.rule_errors(rule):
        return False
    dates = set(series_rules.expand(rule, series_rules.today()))
    cancellations = list(page.cancellations.all())
    kept = [c for c in cancellations if c.date in dates]
    if len(kept) != len(cancellations):
        page.cancellations.set(kept)
    reconciled = series_rules.reconcile(page, series_rules.today())
    return reconciled or len(kept) != len(cancellations)


def follow_series(copy: EventPage) -> None:
    """Bring a copied series' dates in line with its moved rule (the copy's draft).

    Moved dates and extra dates came along moved by the same offset; a cancellation
    that is no longer a date of the rule (a monthly series re-anchored on its weekday)
    is dropped, and dates the rule now has are added.
    """
    if not follow_rule(copy):
        return
    # The copy's own checks ran when it was made; only its dates change here.
    cast(Any, copy).save(clean=False)
    revision = copy.latest_revision
    if revision is not None:
        revision.content = copy.serializable_data()
        revision.save(update_fields=["content"])
