"""Cached, conditional public responses: the one place ETag, Last-Modified and caching live.

API, feeds and embeds call `serve_cached()`. Validators come from the data (newest change
and item count, plus the content version), so a 304 never renders anything, and they are
evaluated only for content the caller has already found visible.
"""

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from .cache import cache_key, content_version, seconds_until_next_schedule_change

DEFAULT_MAX_AGE = 60


@dataclass(frozen=True)
class Fingerprint:
    """What identifies one state of a response's data, cheaply."""

    last_modified: dt.datetime | None
    token: str

    @classmethod
    def of_queryset(cls, queryset: QuerySet, *extra: object) -> "Fingerprint":
        """Newest publication time and count of `queryset` (one aggregate query)."""
        stats = queryset.order_by().aggregate(
            newest=Max("last_published_at"), count=Count("pk")
        )
        return cls(
            stats["newest"],
            f"{stats['newest']}|{stats['count']}|{'|'.join(map(str, extra))}",
        )

    @classmethod
    def of_pages(cls, pages: Iterable, *extra: object) -> "Fingerprint":
        pages = list(pages)
        newest = max(
            (p.last_published_at for p in pages if p.last_published_at), default=None
        )
        ids = ",".join(str(p.pk) for p in pages)
        return cls(newest, f"{newest}|{ids}|{'|'.join(map(str, extra))}")


@dataclass
class CachedResponse:
    body: bytes
    content_type: str
    etag: str
    last_modified: dt.datetime | None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


def serve_cached(
    request: HttpRequest,
    *,
    namespace: str,
    key_parts: Iterable[object],
    fingerprint: Callable[[], Fingerprint],
    render: Callable[[], tuple[bytes, str]],
    max_age: int = DEFAULT_MAX_AGE,
    headers: dict[str, str] | None = None,
    use_cache: bool = True,
) -> HttpResponse:
    """Answer a public GET/HEAD from the versioned cache, with 304 when the client is current.

    `fingerprint` and `render` are only called on a cache miss; `render` returns the body
    and its content type. Call this only after parameters and visibility are checked.
    """
    use_cache = use_cache and settings.HUB_RESPONSE_CACHE
    parts = (request.path, *key_parts)
    key = cache_key(namespace, *parts)
    entry: CachedResponse | None = cache.get(key) if use_cache else None
    if entry is None:
        state = fingerprint()
        etag = (
            '"'
            + hashlib.sha256(
                f"{content_version()}|{'|'.join(map(str, parts))}|{state.token}".encode()
            ).hexdigest()[:32]
            + '"'
        )
        if not_modified(request, etag, state.last_modified):
            return not_modified_response(etag, state.last_modified, max_age, headers)
        body, content_type = render()
        entry = CachedResponse(
            body, content_type, etag, state.last_modified, headers=headers or {}
        )
        if use_cache:
            cache.set(key, entry, timeout=seconds_until_next_schedule_change(max_age))
    elif not_modified(request, entry.etag, entry.last_modified):
        return not_modified_response(
            entry.etag, entry.last_modified, max_age, entry.headers
        )
    response = HttpResponse(
        b"" if request.method == "HEAD" else entry.body,
        content_type=entry.content_type,
        status=entry.status,
    )
    if request.method == "HEAD":
        response["Content-Length"] = str(len(entry.body))
    set_validators(response, entry.etag, entry.last_modified, max_age, entry.headers)
    return response


def not_modified(
    request: HttpRequest, etag: str, last_modified: dt.datetime | None
) -> bool:
    """RFC 7232: If-None-Match wins over If-Modified-Since."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match:
        tags = parse_etags(if_none_match)
        return (
            "*" in tags or etag in tags or etag in [t.removeprefix("W/") for t in tags]
        )
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    if since is not None and last_modified is not None:
        return int(last_modified.timestamp()) <= since
    return False


def not_modified_response(etag, last_modified, max_age, headers) -> HttpResponse:
    response = HttpResponseNotModified()
    set_validators(response, etag, last_modified, max_age, headers or {})
    return response


def set_validators(response, etag, last_modified, max_age, headers) -> None:
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    patch_cache_control(response, public=True, max_age=max_age)
    for name, value in headers.items():
        response[name] = value
