"""The change log partners sync from (`/api/v1/changes/`, webhooks, WebSub).

`reconcile()` compares what is public now with what partners were last told
(`SyncedItem`, one row per item that was ever public) and appends each difference to the
log (`ChangeLogEntry`): `published` (became public: published, moved into the site,
restriction lifted, scheduled go-live), `updated` (public before and after, and its
`modified_at` moved: its own edit or an edit of a venue, contact, document, taxonomy
term shown with it), `deleted` (left public view: unpublished, deleted, restricted —
itself or an ancestor —, expired, moved out of the site). Comparing states instead of
interpreting signals makes every cause alike, and a missed signal is caught by the next
full pass.

It runs after every committed change (`content_changed`, for the pages it names; all
items for changes that may touch any of them) and on every pass of the task worker's
scheduler (all items: the clock passing an expiry date, and anything a crashed process
never reconciled). Passes take turns on a lock, so log entries are committed in `seq`
order: a reader that has seen `seq` n has seen every entry before it, and a cursor never
skips a change committed concurrently. Once committed, `items_changed` carries the new
entries to webhooks and WebSub.

The log is kept for `HUB_CHANGES_RETENTION_DAYS` (`prune()`); `ContentState.log_horizon`
remembers the newest pruned entry, and a cursor older than it is answered with 410.
"""

import contextlib
import datetime as dt
import logging
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Max, Q
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Page

from .changes import Change, content_changed
from .items import ITEM_MODIFIED_AT
from .links import absolute
from .models import ChangeLogEntry, ContentState, SyncedItem
from .models.event import EventPage
from .sections import SECTIONS, Section
from .sync_events import ItemEvent, items_changed

logger = logging.getLogger(__name__)

Filters = dict[str, list[str]]
"""Taxonomy slugs of an item, by filter parameter: `{"city": [...], "target_group":
[...], "topic": [...]}`."""

FILTER_RELATIONS = {
    "city": "cities",
    "target_group": "target_groups",
    "topic": "topics",
}
"""Filter parameter → the item relation it matches (events: their `city`)."""

EVENT_TYPES = {
    ChangeLogEntry.PUBLISHED: "item.published",
    ChangeLogEntry.UPDATED: "item.updated",
    ChangeLogEntry.DELETED: "item.deleted",
}

_BY_NAME = {section.name: section for section in SECTIONS}


def section_named(name: str) -> Section:
    return _BY_NAME[name]


@dataclass(frozen=True)
class Public:
    """An item as the public sees it now."""

    section: str
    modified_at: dt.datetime
    filters: Filters

    def told(self, page_id: int) -> SyncedItem:
        """The row that records partners were told of it as it is now."""
        return SyncedItem(
            page_id=page_id,
            section=self.section,
            public=True,
            modified_at=self.modified_at,
            filters=self.filters,
        )


# --- What is public now -----------------------------------------------------------------


def public_now(page_ids: Iterable[int] | None = None) -> dict[int, Public]:
    """Every visible item (or those among `page_ids`) with what the log records of it."""
    ids = None if page_ids is None else set(page_ids)
    found: dict[int, Public] = {}
    for section in SECTIONS:
        visible = section.page_model.objects.listed()
        if ids is not None:
            visible = visible.filter(pk__in=ids)
        rows = dict(visible.values_list("pk", ITEM_MODIFIED_AT))
        if not rows:
            continue
        filters = _filters(section, list(rows))
        for pk, modified_at in rows.items():
            found[pk] = Public(section.name, modified_at, filters[pk])
    return found


def _filters(section: Section, page_ids: list[int]) -> dict[int, Filters]:
    """Taxonomy slugs of `page_ids`, as the `city`/`target_group`/`topic` filters match."""
    result: dict[int, Filters] = {pk: {} for pk in page_ids}
    model = section.page_model
    for name, relation in FILTER_RELATIONS.items():
        if model is EventPage and name == "city":
            lookup = "city__slug"
        elif relation in section.relations:
            lookup = f"{relation}__slug"
        else:
            continue
        pairs = model.objects.filter(pk__in=page_ids).values_list("pk", lookup)
        for pk, slug in pairs:
            if slug:
                result[pk].setdefault(name, []).append(slug)
    for filters in result.values():
        for slugs in filters.values():
            slugs.sort()
    return result


def matches(filters: Filters, wanted: dict[str, tuple[str, ...]]) -> bool:
    """Whether an item with `filters` matches every filter in `wanted` (OR within one)."""
    return all(
        not slugs or set(slugs) & set(filters.get(name, ()))
        for name, slugs in wanted.items()
    )


# --- Reconciling ------------------------------------------------------------------------

_context = threading.local()


@contextlib.contextmanager
def scheduled_publishing() -> Iterator[None]:
    """Changes reconciled inside happen because their time came (`publish_scheduled`):
    a page becoming public is a scheduled go-live, one leaving an expiry."""
    previous = getattr(_context, "scheduled", False)
    _context.scheduled = True
    try:
        yield
    finally:
        _context.scheduled = previous


def reconcile(
    page_ids: Iterable[int] | None = None, *, settle: dt.timedelta | None = None
) -> list[ItemEvent]:
    """Log how the public view of the items among `page_ids` (default: all) changed
    since the last pass, and announce it once the log is committed.

    `settle`: leave out items whose `modified_at` is more recent than that (a catch-up
    pass must not race the committing process's own pass, which may not have moved
    `modified_at` to its final value yet: that would announce one publication twice).
    """
    ids = None if page_ids is None else set(page_ids)
    if ids is not None and not ids:
        return []
    with transaction.atomic():
        # One pass at a time (PostgreSQL: the row lock; SQLite: the write lock taken
        # at the start of every transaction), so entries are committed in `seq` order.
        _take_turn()
        entries = _differences(ids, settle)
        if entries:
            ChangeLogEntry.objects.bulk_create(entries)
            if not all(entry.seq for entry in entries):
                # Backends that do not return keys from bulk inserts: read them back.
                entries = list(
                    ChangeLogEntry.objects.order_by("-seq")[: len(entries)][::-1]
                )
    if entries:
        _announce(entries)
    return [_event(entry) for entry in entries]


def _announce(entries: list[ChangeLogEntry]) -> bool:
    """Send `items_changed` for `entries` (consecutive in the log); move the dispatch
    mark past them if every receiver took them and nothing before them is missing.
    Whatever is left behind the mark, `dispatch_pending` announces again."""
    events = [_event(entry) for entry in entries]
    failed = False
    for receiver, error in items_changed.send_robust(sender=ItemEvent, events=events):
        if isinstance(error, Exception):
            failed = True
            logger.error("items_changed receiver %r failed", receiver, exc_info=error)
    if failed:
        return False
    first, last = entries[0].seq, entries[-1].seq
    # `seq` may skip numbers (PostgreSQL sequences do not roll back): what matters is
    # that every entry before these has been announced.
    before = ChangeLogEntry.objects.filter(seq__lt=first).aggregate(seq=Max("seq"))
    ContentState.objects.filter(
        pk=1, dispatched_seq__gte=before["seq"] or 0, dispatched_seq__lt=last
    ).update(dispatched_seq=last)
    return True


def dispatch_pending(batch: int = 500) -> int:
    """Announce log entries after the dispatch mark again: those of a process that died
    between its commit and its announcement, or whose receivers failed. Receivers take
    an entry twice without harm (webhooks keep one delivery per endpoint and entry).
    Returns how many entries were announced."""
    mark = (
        ContentState.objects.filter(pk=1)
        .values_list("dispatched_seq", flat=True)
        .first()
    )
    if mark is None:
        return 0
    # Only entries every pass has finished with: a pass committing right now announces
    # its own.
    settled = timezone.now() - SETTLE
    entries = list(
        ChangeLogEntry.objects.filter(seq__gt=mark, at__lt=settled).order_by("seq")[
            :batch
        ]
    )
    if not entries:
        return 0
    if not _announce(entries):
        return 0
    return len(entries)


SETTLE = dt.timedelta(seconds=5)
"""How long the scheduler's catch-up passes leave a change to the process committing it."""


def _take_turn() -> None:
    locked = ContentState.objects.select_for_update().filter(pk=1)
    if not list(locked.values_list("pk", flat=True)):
        ContentState.objects.get_or_create(pk=1)
        list(locked.values_list("pk", flat=True))


def _differences(
    ids: set[int] | None, settle: dt.timedelta | None
) -> list[ChangeLogEntry]:
    now_public = public_now(ids)
    unsettled: set[int] = set()
    if settle is not None:
        recent = timezone.now() - settle
        unsettled = {
            pk for pk, item in now_public.items() if item.modified_at >= recent
        }
        now_public = {
            pk: item for pk, item in now_public.items() if pk not in unsettled
        }
    if ids is None:
        # What was public, and the past of what is public now (usually all of it).
        known = {row.page_id: row for row in SyncedItem.objects.filter(public=True)}
        returning = [pk for pk in now_public if pk not in known]
    else:
        known, returning = {}, list(ids)
    for start in range(0, len(returning), 500):
        chunk = returning[start : start + 500]
        known |= {
            row.page_id: row for row in SyncedItem.objects.filter(page_id__in=chunk)
        }
    at = _database_now()
    scheduled = getattr(_context, "scheduled", False)
    entries: list[ChangeLogEntry] = []
    changed_rows: list[SyncedItem] = []
    for pk, public in sorted(now_public.items()):
        row = known.get(pk)
        if (
            row is not None
            and row.public
            and row.modified_at == public.modified_at
            and row.filters == public.filters
        ):
            continue
        if row is None or not row.public:
            event, reason = (
                ChangeLogEntry.PUBLISHED,
                "schedule" if scheduled else "edit",
            )
        else:
            event, reason = ChangeLogEntry.UPDATED, "edit"
        previous = row.filters if row is not None else {}
        entries.append(
            ChangeLogEntry(
                page_id=pk,
                section=public.section,
                event=event,
                reason=reason,
                at=at,
                modified_at=public.modified_at,
                filters=public.filters,
                previous_filters=previous,
            )
        )
        changed_rows.append(public.told(pk))
    gone = sorted(
        pk
        for pk, row in known.items()
        if row.public and pk not in now_public and pk not in unsettled
    )
    expired = _expired(gone) if gone else set()
    for pk in gone:
        row = known[pk]
        entries.append(
            ChangeLogEntry(
                page_id=pk,
                section=row.section,
                event=ChangeLogEntry.DELETED,
                reason="expiry" if pk in expired else "edit",
                at=at,
                modified_at=at,
                filters=row.filters,
                previous_filters=row.filters,
            )
        )
        row.public = False
        row.modified_at = at
        changed_rows.append(row)
    if changed_rows:
        SyncedItem.objects.bulk_create(
            changed_rows,
            update_conflicts=True,
            unique_fields=["page_id"],
            update_fields=["section", "public", "modified_at", "filters"],
        )
    return entries


def _expired(page_ids: list[int]) -> set[int]:
    """Those of `page_ids` that left public view because their expiry date passed."""
    now = timezone.now()
    return set(
        Page.objects.filter(pk__in=page_ids)
        .filter(Q(expired=True) | Q(expire_at__lte=now))
        .values_list("pk", flat=True)
    )


def _database_now() -> dt.datetime:
    value = (
        ContentState.objects.filter(pk=1)
        .annotate(now=Now())
        .values_list("now", flat=True)
        .first()
    )
    return value or timezone.now()


def _event(entry: ChangeLogEntry) -> ItemEvent:
    section = section_named(entry.section)
    return ItemEvent(
        seq=entry.seq,
        type=EVENT_TYPES[entry.event],  # type: ignore[arg-type]
        reason=entry.reason,  # type: ignore[arg-type]
        section=section.name,
        item_type=section.item_type,
        id=entry.page_id,
        modified_at=entry.modified_at,
        api_url=absolute(reverse(section.api_detail_route, args=[entry.page_id])),
        filters=entry.filters,
        previous_filters=entry.previous_filters,
    )


def baseline() -> int:
    """Take what is public now as what partners know, without logging it (a new
    installation, or one upgraded to the change log: its items were never announced
    one by one). Returns how many items it recorded."""
    with transaction.atomic():
        if SyncedItem.objects.exists():
            return 0
        public = public_now()
        SyncedItem.objects.bulk_create(
            [item.told(pk) for pk, item in public.items()],
            ignore_conflicts=True,
        )
    return len(public)


def after_migrate(sender: object, **kwargs: object) -> None:
    """An installation upgraded to the change log starts from what is public now."""
    try:
        if not ChangeLogEntry.objects.exists():
            baseline()
    except DatabaseError:
        # Migrated backwards, below the change log's tables.
        logger.info("No change log tables yet; nothing to take as known.")


def on_content_changed(sender: object, change: Change, **kwargs: object) -> None:
    """After each committed change: reconcile what it may have touched."""
    try:
        reconcile(None if change.everything or not change.pages else change.pages)
    except DatabaseError:
        # The scheduler's next full pass logs it.
        logger.exception("Could not update the change log after %s", change)


def connect() -> None:
    content_changed.connect(on_content_changed, dispatch_uid="pages.sync")


# --- Reading and retention --------------------------------------------------------------


def newest_seq() -> int:
    """The log position now (after pruning everything: the newest pruned one)."""
    newest = ChangeLogEntry.objects.aggregate(newest=Max("seq"))["newest"]
    return max(newest or 0, horizon())


def horizon() -> int:
    """The newest pruned `seq`: a cursor before it may have missed entries."""
    return (
        ContentState.objects.filter(pk=1).values_list("log_horizon", flat=True).first()
        or 0
    )


def retention() -> dt.timedelta:
    return dt.timedelta(days=settings.HUB_CHANGES_RETENTION_DAYS)


def prune(now: dt.datetime | None = None) -> int:
    """Delete log entries older than the retention period; returns how many."""
    cutoff = (now or timezone.now()) - retention()
    with transaction.atomic():
        old = ChangeLogEntry.objects.filter(at__lt=cutoff)
        newest = old.aggregate(newest=Max("seq"))["newest"]
        if newest is None:
            return 0
        deleted, _ = ChangeLogEntry.objects.filter(seq__lte=newest).delete()
        ContentState.objects.filter(pk=1, log_horizon__lt=newest).update(
            log_horizon=newest
        )
    return deleted
