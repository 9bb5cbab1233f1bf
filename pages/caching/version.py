"""The content state every cached public answer is keyed by, read from the database.

Every change the public could see moves the state once the writer's transaction commits
(`pages.changes.record`, called by `receivers`). Cache keys include its token, so every
list, detail and filter combination cached before the change is unreachable at once, in
every process, whatever cache each one has (a per-process local memory included): each
request reads the state anew (`ContentStateMiddleware`). Process-local memories of
derived data (the default site's root path, Wagtail's site root paths) are dropped when a
process sees the state move (`sync_process`).
"""

import datetime as dt
import hashlib
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet, Subquery
from django.utils import timezone

from wagtail.models import Page, Site

from pages import locales
from pages.changes import State, current_state
from pages.models import ContentState, EventOccurrence
from pages.queries import forget_default_site_root_path
from pages.snippets import forget_status_wordings

_request = threading.local()
_last_seen = ""


def content_state() -> State:
    """The state this request reads (`for_request`), else the current one. Drops this
    process's memories if the state moved since the process last saw it."""
    state: State | None = getattr(_request, "state", None)
    if state is None:
        state = current_state()
        sync_process(state)
    return state


@contextmanager
def for_request(state: State) -> Iterator[None]:
    """Everything the request does reads `state` (one read per request)."""
    _request.state = state
    try:
        yield
    finally:
        _request.state = None


def content_version() -> str:
    return content_state().token


def sync_process(state: State) -> None:
    global _last_seen
    if _last_seen != state.token:
        if _last_seen:
            forget_default_site_root_path()
            Site.clear_site_root_paths_cache()
            # Per-process caches another process may have changed: languages offered,
            # status wordings.
            locales.forget()
            forget_status_wordings()
        _last_seen = state.token


def cache_key(namespace: str, *parts: object, version: str | None = None) -> str:
    """A short key for `parts` under `version` (default: the current content version)."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:32]
    return f"hub:{namespace}:{version or content_version()}:{digest}"


@dataclass(frozen=True)
class Clock:
    """Moments at which the clock changes lists by itself: a page's go-live or expiry
    time, the end of an event date (`upcoming`, the events' order)."""

    passed: dt.datetime | None
    """The latest such moment up to now."""
    coming: dt.datetime | None
    """The next one."""


def _moment(queryset: QuerySet, field: str, *, latest: bool) -> Subquery:
    return Subquery(
        queryset.order_by(f"-{field}" if latest else field).values(field)[:1]
    )


def clock(now: dt.datetime | None = None) -> Clock:
    """The moments around `now` (default: now), in one query."""
    now = now or timezone.now()
    queries = {
        "went_live": (Page.objects.filter(go_live_at__lte=now), "go_live_at", True),
        "expired": (Page.objects.filter(expire_at__lte=now), "expire_at", True),
        "ended": (EventOccurrence.objects.filter(ends_at__lte=now), "ends_at", True),
        "goes_live": (Page.objects.filter(go_live_at__gt=now), "go_live_at", False),
        "expires": (Page.objects.filter(expire_at__gt=now), "expire_at", False),
        "ends": (EventOccurrence.objects.filter(ends_at__gt=now), "ends_at", False),
    }
    moments: Mapping[str, Any] = (
        ContentState.objects.filter(pk=1)
        .values(
            **{
                name: _moment(queryset, field, latest=latest)
                for name, (queryset, field, latest) in queries.items()
            }
        )
        .first()
    ) or {}
    passed = [moments.get(name) for name in ("went_live", "expired", "ended")]
    coming = [moments.get(name) for name in ("goes_live", "expires", "ends")]
    return Clock(
        max((moment for moment in passed if moment is not None), default=None),
        min((moment for moment in coming if moment is not None), default=None),
    )


def last_modified(state: State, moments: Clock) -> dt.datetime:
    """When a list, feed or embed last changed: the last recorded change, or a moment
    the clock passed that changes lists by itself, whichever is later."""
    if moments.passed is None:
        return state.changed_at
    return max(state.changed_at, moments.passed)


def lifetime(limit: int, moments: Clock) -> int:
    """Cache lifetime (seconds, at most `limit`) that never outlives the next moment the
    clock changes lists.

    Until the scheduler has run (`run_worker`), the visibility rules hide a page from its
    expiry on by themselves, so cached responses must not outlive it either.
    """
    if moments.coming is None:
        return limit
    remaining = (moments.coming - timezone.now()) / dt.timedelta(seconds=1)
    return max(1, min(limit, int(remaining)))
