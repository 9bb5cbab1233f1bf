"""Fetching a subscription and turning its source events into draft event pages.

The import never publishes: a new or changed event becomes a draft revision, submitted
to the review workflow when the subscription asks for it. Only the fields it manages
(title, teaser, body, status, dates) are written, on top of the page's latest
revision, so what editors add (image, venue, contacts, …) stays. When an editor
changed a managed field since the last import and the source changes too, the import
records a conflict and leaves the page alone (`take_source` resolves it).
"""

import datetime as dt
import hashlib
import json
import logging
import re
from functools import cache
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.models import Revision
from wagtail.rich_text import RichText

import requests
from django_tasks import task

from hub import outbound
from hub.tasks import QUEUE, enqueue_on_commit
from pages.blocks import RICH_TEXT_FEATURES
from pages.enums import EventStatus
from pages.models import EventIndexPage, EventOccurrence, EventPage
from pages.slugs import ascii_slug

from .ical import HORIZON_DAYS, TEASER_MAX, CalendarError, SourceEvent, parse
from .models import (
    CalendarSubscription,
    ImportedEvent,
    ImportRun,
    RunStatus,
    max_bytes,
)

logger = logging.getLogger("imports")

USER_AGENT = "Integrationshub-Kalenderimport/1.0"
RETRY_AFTER = dt.timedelta(minutes=15)
"""A failed fetch is tried again this soon (or at its regular time, if sooner)."""


class FetchFailed(Exception):
    """The calendar could not be fetched (German message, for editors)."""


def fetch(subscription: CalendarSubscription) -> outbound.Answer | None:
    """The calendar's answer, or None when it is unchanged since the last fetch (304)."""
    headers = {"Accept": "text/calendar, */*;q=0.1", "User-Agent": USER_AGENT}
    if subscription.etag:
        headers["If-None-Match"] = subscription.etag
    if subscription.last_modified:
        headers["If-Modified-Since"] = subscription.last_modified
    limit = max_bytes()
    try:
        answer = outbound.request(
            "GET", subscription.url, headers=headers, max_bytes=limit
        )
    except outbound.BlockedDestination as error:
        raise FetchFailed(str(error)) from error
    except requests.Timeout as error:
        raise FetchFailed(
            "Zeitüberschreitung: Der Server des Kalenders hat nicht rechtzeitig "
            "geantwortet."
        ) from error
    except requests.RequestException as error:
        raise FetchFailed(f"Der Kalender ist nicht erreichbar ({error}).") from error
    if answer.status == 304:
        return None
    if 300 <= answer.status < 400:
        raise FetchFailed(
            f"Der Server leitet weiter (HTTP {answer.status}) nach "
            f"„{_header(answer, 'location')}“. Weiterleitungen wird nicht gefolgt; "
            "bitte tragen Sie die neue Adresse ein."
        )
    if answer.status != 200:
        raise FetchFailed(f"Der Server antwortete mit dem Fehler HTTP {answer.status}.")
    if answer.truncated:
        raise FetchFailed(
            f"Der Kalender ist größer als {limit // 1024} KiB und wurde nicht "
            "importiert."
        )
    return answer


def _header(answer: outbound.Answer, name: str) -> str:
    return next((v for k, v in answer.headers.items() if k.lower() == name), "")


def run(subscription: CalendarSubscription, today: dt.date | None = None) -> ImportRun:
    """Fetch and import `subscription` once; the run records counts and errors.

    When the stored dates end more than a week before the import window's end, open-ended
    series get their newer dates: from the calendar as fetched, or, when the server
    answers 304, from the calendar stored at the last full import."""
    record = ImportRun.objects.create(subscription=subscription)
    today = today or timezone.localdate()
    window_end = today + dt.timedelta(days=HORIZON_DAYS)
    extend = subscription.extension_due(window_end)
    if extend and not subscription.calendar_body:
        subscription.forget_validators()  # a 304 would leave nothing to expand
    try:
        answer = fetch(subscription)
        if answer is None and not extend:
            return _finish(record, RunStatus.NOT_MODIFIED)
        body = bytes(subscription.calendar_body if answer is None else answer.body)
        parsed = parse(body, today)
    except (FetchFailed, CalendarError) as error:
        record.errors = [str(error)]
        return _finish(record, RunStatus.FAILED)

    record.errors = list(parsed.problems)
    record.skipped = len(parsed.problems)
    index = EventIndexPage.objects.first()
    if index is None:
        record.errors.append("Es gibt keinen Veranstaltungsbereich für neue Termine.")
        return _finish(record, RunStatus.FAILED)
    failed = 0
    for event in parsed.events:
        try:
            with transaction.atomic():
                outcome = import_event(subscription, index, event, today, extend)
        except Exception as error:
            logger.exception("Import of %s from %s failed", event.uid, subscription.url)
            record.errors.append(
                f"„{event.title}“ konnte nicht gespeichert werden "
                f"({type(error).__name__}); Einzelheiten stehen im Server-Protokoll. "
                "Der nächste Abruf versucht es erneut."
            )
            record.skipped += 1
            failed += 1
            continue
        setattr(record, outcome, getattr(record, outcome) + 1)

    if not failed:
        # Otherwise the next run downloads the calendar again and retries those events.
        if answer is not None:
            subscription.etag = _header(answer, "etag")[:300]
            subscription.last_modified = _header(answer, "last-modified")[:100]
            subscription.calendar_body = body
        if extend:
            subscription.expanded_until = window_end
        subscription.save(
            update_fields=["etag", "last_modified", "calendar_body", "expanded_until"]
        )
    if record.errors:
        return _finish(record, RunStatus.PARTIAL)
    if answer is None and not (record.created or record.updated or record.conflicts):
        return _finish(record, RunStatus.NOT_MODIFIED)
    return _finish(record, RunStatus.SUCCEEDED)


def _finish(record: ImportRun, status: str) -> ImportRun:
    record.status = status
    record.finished_at = timezone.now()
    record.save()
    if status == RunStatus.FAILED:
        CalendarSubscription.objects.filter(
            pk=record.subscription_id,
            next_fetch_at__gt=record.finished_at + RETRY_AFTER,
        ).update(next_fetch_at=record.finished_at + RETRY_AFTER)
        logger.warning(
            "Calendar import %s failed: %s", record.subscription.url, record.errors
        )
    return record


def import_event(
    subscription: CalendarSubscription,
    index: EventIndexPage,
    event: SourceEvent,
    today: dt.date | None = None,
    extend: bool = False,
) -> str:
    """Create or update the page of `event`; which `ImportRun` counter it adds to.

    An unchanged source event is left alone, unless `extend` and its dates now reach
    further than the stored ones (an open-ended series as days pass)."""
    today = today or timezone.localdate()
    source, source_hash = event.as_json(), event.content_hash
    now = timezone.now()
    imported = (
        ImportedEvent.objects.select_for_update()
        .filter(subscription=subscription, uid=event.uid)
        .first()
    )
    if imported is None:
        page = create_page(subscription, index, event.uid, source)
        revision = page.get_latest_revision()
        ImportedEvent.objects.create(
            subscription=subscription,
            uid=event.uid,
            page=page,
            source=source,
            source_hash=source_hash,
            page_fingerprint=fingerprint(page),
            revision=revision,
        )
        submit(subscription, page)
        return "created"

    imported.seen_at = now
    if imported.page is None:  # deleted in the hub: not brought back
        imported.save(update_fields=["seen_at"])
        return "unchanged"
    if source_hash == imported.source_hash and not (
        extend and last_date(source) > last_date(imported.source)
    ):
        imported.save(update_fields=["seen_at"])
        return "unchanged"
    latest = imported.page.get_latest_revision_as_object()
    edited = fingerprint(latest) != imported.page_fingerprint
    imported.source = source
    imported.source_hash = source_hash
    if edited:
        imported.conflict_since = imported.conflict_since or now
        imported.save()
        return "conflicts"
    write_revision(imported, latest, today)
    submit(subscription, latest)
    return "updated"


def last_date(source: dict[str, Any]) -> str:
    """The ISO start date of the last of `source`'s dates ("" without any)."""
    return max((values[0] for values in source["occurrences"]), default="")


def write_revision(
    imported: ImportedEvent, page: EventPage, today: dt.date | None = None
) -> Revision:
    """Put the stored source into a new revision of `page` (its latest state)."""
    apply_source(page, imported.source, today)
    revision: Revision = page.save_revision(log_action=True)
    imported.page_fingerprint = fingerprint(page)
    imported.revision = revision
    imported.conflict_since = None
    imported.imported_at = timezone.now()
    imported.save()
    return revision


def take_source(imported: ImportedEvent, user: Any = None) -> None:
    """Resolve a conflict for the source: its state overwrites the editor's change."""
    assert imported.page is not None  # noqa: S101 - conflicts have pages  # nosec B101
    with transaction.atomic():
        page = imported.page.get_latest_revision_as_object()
        apply_source(page, imported.source, timezone.localdate())
        revision = page.save_revision(user=user, log_action=True)
        imported.page_fingerprint = fingerprint(page)
        imported.revision = revision
        imported.conflict_since = None
        imported.imported_at = timezone.now()
        imported.save()
        submit(imported.subscription, page, user)


def keep_edit(imported: ImportedEvent) -> None:
    """Resolve a conflict for the editor: this source change is not taken over; the
    next change of the source is a conflict again."""
    imported.conflict_since = None
    imported.save(update_fields=["conflict_since"])


def create_page(
    subscription: CalendarSubscription,
    index: EventIndexPage,
    uid: str,
    source: dict[str, Any],
) -> EventPage:
    page = EventPage(
        title=source["title"],
        slug=unique_slug(index, source["title"], uid),
        live=False,
        city=subscription.city,
    )
    apply_source(page, source)
    page.target_groups = list(subscription.target_groups.all())
    index.add_child(instance=page)
    page.save_revision(log_action=True)
    return page


def unique_slug(index: EventIndexPage, title: str, uid: str) -> str:
    base = (ascii_slug(title)[:60].strip("-") or "veranstaltung") + "-"
    base += hashlib.sha256(uid.encode()).hexdigest()[:6]
    slug, number = base, 1
    while index.get_children().filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def apply_source(
    page: EventPage, source: dict[str, Any], today: dt.date | None = None
) -> None:
    """Write the fields the import manages from `source` onto `page` (unsaved).

    The source has only dates from `today` on: the page's dates that ended before
    keep their place, so an update never takes back what already happened."""
    today = today or timezone.localdate()
    page.title = page.draft_title = source["title"]
    description = source.get("description", "")
    page.teaser = _shorten(" ".join(description.split()), TEASER_MAX)
    page.body = body_of(source)
    if source.get("cancelled"):
        page.status = EventStatus.CANCELLED
    elif page.status == EventStatus.CANCELLED:
        page.status = EventStatus.SCHEDULED
    past = [o for o in page.occurrences.all() if (o.end_date or o.start_date) < today]
    page.occurrences = [  # type: ignore[misc]
        *past,
        *(occurrence_of(values) for values in source["occurrences"]),
    ]


def occurrence_of(values: list[str | None]) -> EventOccurrence:
    start_date, end_date, start_time, end_time = values
    assert start_date is not None  # noqa: S101 - the parser always sets it  # nosec B101
    occurrence = EventOccurrence(
        start_date=dt.date.fromisoformat(start_date),
        end_date=dt.date.fromisoformat(end_date) if end_date else None,
        start_time=dt.time.fromisoformat(start_time) if start_time else None,
        end_time=dt.time.fromisoformat(end_time) if end_time else None,
    )
    occurrence.starts_at, occurrence.ends_at = occurrence.compute_bounds()
    return occurrence


def body_of(source: dict[str, Any]) -> list[tuple[str, RichText]]:
    """The description's paragraphs, the place and the partner's link."""
    paragraphs = [
        "<br/>".join(escape(line.strip()) for line in part.strip().splitlines())
        for part in source.get("description", "").replace("\r\n", "\n").split("\n\n")
        if part.strip()
    ]
    if source.get("location"):
        paragraphs.append(f"<b>Ort:</b> {escape(source['location'])}")
    url = source.get("url", "")
    if url.startswith(("https://", "http://")):
        paragraphs.append(
            f'<a href="{escape(url)}">Weitere Informationen beim Veranstalter</a>'
        )
    return [("paragraph", RichText(f"<p>{text}</p>")) for text in paragraphs]


def fingerprint(page: EventPage) -> str:
    """Hash of the fields the import manages, as `page` (a revision's state) has them."""
    body = [
        (item["type"], _normalised(item["value"]))
        for item in page.body.get_prep_value()
    ]
    occurrences = sorted(
        (
            o.start_date.isoformat(),
            o.end_date.isoformat() if o.end_date else None,
            o.start_time.isoformat("minutes") if o.start_time else None,
            o.end_time.isoformat("minutes") if o.end_time else None,
        )
        for o in page.occurrences.all()
    )
    state = [page.title, page.teaser, body, page.status, occurrences]
    return hashlib.sha256(json.dumps(state, default=str).encode()).hexdigest()


BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
BLOCK_KEY = re.compile(r'\sdata-block-key="[^"]*"')


@cache
def _converter() -> ContentstateConverter:
    return ContentstateConverter(RICH_TEXT_FEATURES)


def _normalised(value: Any) -> Any:
    """Rich text as the page editor saves it, without its random block keys: saving a
    page in the admin (which rewrites the HTML) does not count as a change."""
    if not isinstance(value, str):
        return value
    html = BREAK.sub("<br/>", value)
    try:
        html = _converter().to_database_format(_converter().from_database_format(html))
    except Exception:  # noqa: BLE001 - HTML the editor cannot read stays as it is
        logger.debug("Rich text not normalised: %r", value)
    return BLOCK_KEY.sub("", html)


def submit(
    subscription: CalendarSubscription, page: EventPage, user: Any = None
) -> None:
    """Submit the page's latest revision for review, if the subscription asks for it."""
    if not subscription.needs_review or page.workflow_in_progress:
        return
    workflow = page.get_workflow()
    if workflow is not None:
        workflow.start(page, user)


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


@task(backend=QUEUE)
def fetch_subscription(subscription_id: int) -> str:
    """Queue task: one run of a subscription (if it still exists and is active)."""
    subscription = CalendarSubscription.objects.filter(
        pk=subscription_id, active=True
    ).first()
    if subscription is None:
        return "gone"
    return str(run(subscription).status)


def fetch_now(subscription: CalendarSubscription) -> None:
    """Queue a run at once; the periodic schedule goes on from now."""
    subscription.schedule_next()
    subscription.save(update_fields=["next_fetch_at"])
    enqueue_on_commit(fetch_subscription, subscription.pk)


def enqueue_due(sender: Any = None, **kwargs: Any) -> int:
    """Queue a run of every active subscription whose time has come. Receiver of
    `hub.scheduler.periodic`; claiming `next_fetch_at` queues each at most once."""
    now = timezone.now()
    queued = 0
    due = CalendarSubscription.objects.filter(active=True, next_fetch_at__lte=now)
    for subscription in due:
        previous = subscription.next_fetch_at
        subscription.schedule_next(now)
        claimed = CalendarSubscription.objects.filter(
            pk=subscription.pk, next_fetch_at=previous
        ).update(next_fetch_at=subscription.next_fetch_at)
        if claimed:
            enqueue_on_commit(fetch_subscription, subscription.pk)
            queued += 1
    return queued
