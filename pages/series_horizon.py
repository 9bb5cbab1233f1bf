"""Open-ended series move their horizon along: once a day, the live pages of series
without an end get the dates that came within `HUB_SERIES_HORIZON_DAYS`.

Run by the worker's scheduler (`hub.scheduler.periodic`, connected in `hub.apps`).
Only the live rows are written (the database keeps the schedule bounds right); a
draft gets the same dates when it is next saved or published. The change is recorded
like an editor's (`pages.changes.record`), so caches, ETags, the change log and
webhooks follow; the calendar's SEQUENCE does not rise (the new dates have new UIDs).
"""

import datetime as dt
import logging
from typing import Any

from django.db import transaction

from . import series
from .changes import Change, record
from .models import EventPage
from .sections import EVENTS

logger = logging.getLogger(__name__)

_last_run: dt.date | None = None


def extend_horizons(today: dt.date | None = None) -> list[int]:
    """Expand the live open-ended series up to today's horizon; the pages changed."""
    today = today or series.today()
    pages = (
        EventPage.objects.live()
        .filter(
            recurrences__isnull=False,
            recurrences__until__isnull=True,
            recurrences__count__isnull=True,
        )
        .distinct()
    )
    changed = []
    for page in pages:
        with transaction.atomic():
            current = page.schedule_signature == page.current_schedule_signature()
            if series.reconcile(page, today):
                page.occurrences.commit()
                if current:
                    # New dates come under new UIDs: the dates calendars hold are
                    # unchanged, so SEQUENCE stays; the signature takes in the new
                    # rows so that the next publish does not count them as a change.
                    page.schedule_signature = page.current_schedule_signature()
                    EventPage.objects.filter(pk=page.pk).update(
                        schedule_signature=page.schedule_signature
                    )
                changed.append(page.pk)
                record(
                    Change(
                        pages=frozenset({page.pk}), sections=frozenset({EVENTS.name})
                    )
                )
    if changed:
        logger.info("Series horizon: %d event(s) got new dates.", len(changed))
    return changed


def on_periodic(sender: Any, **kwargs: Any) -> None:
    """At most once a day per worker (the scheduler's lease holder runs it)."""
    global _last_run
    today = series.today()
    if _last_run == today:
        return
    extend_horizons(today)
    _last_run = today
