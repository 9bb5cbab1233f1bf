"""Open-ended series move their horizon along: once a day, the live pages of series
without an end get the dates that came within `HUB_SERIES_HORIZON_DAYS`.

Run by the worker's scheduler (`hub.scheduler.periodic`, connected in `hub.apps`).
Only the live rows are written (the database keeps the schedule bounds right); a
draft gets the same dates when it is next saved or published. The pass takes the
page's row lock before it reads the rule, the cancellations and the dates, and only
adds the dates that are missing: an editor publishing meanwhile waits for it, and
nothing the editor changed before is written back. The change is recorded like an
editor's (`pages.changes.record`), so caches, ETags, the change log and webhooks
follow; the calendar's SEQUENCE does not rise (the new dates have new UIDs).
"""

import datetime as dt
import logging
from typing import Any

from django.db import transaction

from . import series
from .changes import Change, record
from .models import EventCancellation, EventOccurrence, EventPage, EventRecurrence
from .sections import EVENTS

logger = logging.getLogger(__name__)

_last_run: dt.date | None = None


def extend_horizons(today: dt.date | None = None) -> list[int]:
    """Expand the live open-ended series up to today's horizon; the pages changed."""
    today = today or series.today()
    candidates = list(
        EventPage.objects.live()
        .filter(
            recurrences__isnull=False,
            recurrences__until__isnull=True,
            recurrences__count__isnull=True,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )
    changed = []
    for page_id in candidates:
        with transaction.atomic():
            # PostgreSQL: the page's row lock, which an editor's publish waits for;
            # SQLite: the write lock taken at the start of every transaction.
            page = EventPage.objects.select_for_update().filter(pk=page_id).first()
            if page is None or not page.live or not add_missing_dates(page, today):
                continue
            changed.append(page.pk)
            record(
                Change(pages=frozenset({page.pk}), sections=frozenset({EVENTS.name}))
            )
    if changed:
        logger.info("Series horizon: %d event(s) got new dates.", len(changed))
    return changed


def add_missing_dates(page: EventPage, today: dt.date) -> bool:
    """Insert the live rows of the open-ended rule's dates up to today's horizon that
    are neither there nor cancelled; whether there were any. Call with the page locked.
    """
    rule = EventRecurrence.objects.filter(page=page).first()
    if rule is None or rule.until or rule.count or series.rule_errors(rule):
        return False
    cancelled = set(
        EventCancellation.objects.filter(page=page).values_list("date", flat=True)
    )
    rows = list(EventOccurrence.objects.filter(page=page).order_by("sort_order", "pk"))
    # A date typed in by hand on a rule date stands for it (`series.reconcile`).
    taken = {series.stands_for(row, rule) for row in rows}
    missing = [
        day
        for day in series.expand(rule, today)
        if day not in taken and day not in cancelled
    ]
    if not missing:
        return False
    current = page.schedule_signature == page.current_schedule_signature()
    new = []
    for day in missing:
        row = EventOccurrence(
            page=page,
            start_date=day,
            start_time=rule.start_time,
            end_time=rule.end_time,
            series_date=day,
        )
        row.starts_at, row.ends_at = row.compute_bounds()
        new.append(row)
    ordered = sorted(
        [*rows, *new], key=lambda row: (row.start_date, row.start_time or dt.time.min)
    )
    moved = []
    for position, row in enumerate(ordered):
        if row.pk is not None and row.sort_order != position:
            moved.append(row)
        row.sort_order = position
    EventOccurrence.objects.bulk_create(new)
    if moved:
        EventOccurrence.objects.bulk_update(moved, ["sort_order"])
    if current:
        # New dates come under new UIDs: the dates calendars hold are unchanged, so
        # SEQUENCE stays; the signature takes in the new rows so that the next
        # publish does not count them as a change.
        EventPage.objects.filter(pk=page.pk).update(
            schedule_signature=page.current_schedule_signature()
        )
    return True


def on_periodic(sender: Any, **kwargs: Any) -> None:
    """At most once a day per worker (the scheduler's lease holder runs it)."""
    global _last_run
    today = series.today()
    if _last_run == today:
        return
    extend_horizons(today)
    _last_run = today
