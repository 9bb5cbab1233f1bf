"""One content version for every cached public response (API, feeds, embeds, sitemap).

Any change that could alter what the public sees replaces the version with a fresh random
token after the transaction commits (the receivers are in `receivers`). Cache keys
include the token, so every list, detail and filter combination cached before the change
is unreachable at once. A random token (not a counter) stays safe if the cache evicts or
loses the key.

With several worker processes, point the cache at Redis (`REDIS_URL`); the local-memory
default is per process.
"""

import datetime as dt
import hashlib
import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from wagtail.models import Page

VERSION_KEY = "hub:content-version"


def content_version() -> str:
    """The current token; creates one if the cache has none (first use, eviction, restart)."""
    version: str | None = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY) or uuid.uuid4().hex
    return version


def bump_content_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def bump_after_commit() -> None:
    transaction.on_commit(bump_content_version)


def cache_key(namespace: str, *parts: object, version: str | None = None) -> str:
    """A short key for `parts` under `version` (default: the current content version)."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:32]
    return f"hub:{namespace}:{version or content_version()}:{digest}"


def seconds_until_next_schedule_change(limit: int) -> int:
    """Cache lifetime that never outlives the next scheduled go-live or expiry.

    Those happen without any signal, so cached responses must not outlive them.
    """
    now = timezone.now()
    upcoming = Page.objects.filter(
        Q(go_live_at__gt=now) | Q(expire_at__gt=now)
    ).aggregate(
        go_live=Min("go_live_at", filter=Q(go_live_at__gt=now)),
        expire=Min("expire_at", filter=Q(expire_at__gt=now)),
    )
    moments = [moment for moment in upcoming.values() if moment is not None]
    if not moments:
        return limit
    remaining = (min(moments) - now) / dt.timedelta(seconds=1)
    return max(1, min(limit, int(remaining)))
