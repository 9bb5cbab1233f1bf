"""Cached, conditional public responses: the one place ETag, Last-Modified and caching live.

API, feeds, embeds and the sitemap call `serve_cached()`. Validators come from the data
(newest change and item count, plus the content version), so a 304 never renders
anything, and they are evaluated only for content the caller has already found visible.

An answer is stored under its request's path and canonical query string and the content
version, so a publish, unpublish or restriction makes every stored answer unreachable at
once. Under `HUB_CACHED_RESPONSE_PATHS`, `hub.middleware.CachedResponseMiddleware` answers
repeated GET/HEAD requests with `answer_from_cache()` before sessions, URL resolving,
DRF and the view; on a miss the view's `serve_cached()` makes the entry and the
middleware stores it (`store_pending()`) with the headers the stack below it added, so
the early answer carries exactly the headers of the full one.
"""

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from operator import itemgetter
from typing import NamedTuple
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation, TooManyFieldsSent
from django.db.models import Count, Max, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from .cache import cache_key, content_version, seconds_until_next_schedule_change

DEFAULT_MAX_AGE = 60
# Headers of one particular body; an entry replays every other header as it was sent.
REPRESENTATION_HEADERS = frozenset({"content-type", "content-length"})


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
    """One stored answer: validators and the headers it is sent with; the body once a 200
    has been rendered.

    A conditional request that misses stores validators only, so revalidating clients
    get their 304s from the cache without anything being rendered. `headers` are the
    validators and the caller's own headers at first, and every header the stack sent
    (Content-Type and -Length aside) once the middleware has recorded them; `recorded`
    entries are answered before the view.
    """

    etag: str
    modified: int | None  # Last-Modified, Unix seconds
    headers: tuple[tuple[str, str], ...]
    content_type: str = ""
    body: bytes | None = None
    recorded: bool = False

    def answer(self, request: HttpRequest) -> HttpResponse | None:
        """304 if the client is current, else 200 (HEAD: the length only); None when
        the body is needed but not stored."""
        if not_modified(request, self.etag, self.modified):
            response = HttpResponseNotModified()
            length = 0
        elif self.body is None:
            return None
        else:
            response = HttpResponse(
                b"" if request.method == "HEAD" else self.body,
                content_type=self.content_type,
            )
            length = len(self.body)
        for name, value in self.headers:
            response.headers[name] = value
        response.headers["Content-Length"] = str(length)
        return response


class RequestKey(NamedTuple):
    key: str
    version: str
    query: str


def canonical_query(request: HttpRequest) -> str:
    """The query string with parameters sorted by name; a repeated name keeps its order.

    Equal requests share one entry; requests a view may answer differently never do
    (it may read the first, the last or every value of a repeated parameter). An ASCII
    query string (what clients send) is parsed as `request.GET` would parse it, without
    building it.
    """
    raw = request.META.get("QUERY_STRING", "")
    if not raw:
        return ""
    if raw.isascii():
        try:
            pairs = parse_qsl(
                raw,
                keep_blank_values=True,
                max_num_fields=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
            )
        except ValueError:
            raise TooManyFieldsSent("Too many GET parameters.") from None
    else:
        pairs = [
            (name, value) for name, values in request.GET.lists() for value in values
        ]
    return urlencode(sorted(pairs, key=itemgetter(0)))


def request_key(request: HttpRequest) -> RequestKey:
    """Where `request`'s answer is stored, fixed once per request.

    The content version is read before any data, so an entry never holds data older
    than the version in its key.
    """
    known = getattr(request, "_hub_request_key", None)
    if known is None:
        version = content_version()
        query = canonical_query(request)
        key = cache_key("response", request.path, query, version=version)
        known = request._hub_request_key = RequestKey(key, version, query)
    return known


def serve_cached(
    request: HttpRequest,
    *,
    fingerprint: Callable[[], Fingerprint],
    render: Callable[[], tuple[bytes, str]],
    max_age: int = DEFAULT_MAX_AGE,
    headers: dict[str, str] | None = None,
    use_cache: bool = True,
    early: bool = True,
) -> HttpResponse:
    """Answer a public GET/HEAD from the versioned cache, with 304 when the client is current.

    The answer must depend on nothing but the request's path and query string (and the
    visible content). `fingerprint` and `render` are only called on a cache miss, and
    `render` (which returns the body and its content type) only when the client needs
    the body. Call this only after parameters and visibility are checked. `early=False`
    keeps the answer from `CachedResponseMiddleware`, so the view runs every time: for
    a view that re-checks visibility itself (a detail is 404 the moment it is hidden,
    even in a worker whose cache has not yet seen the new content version).
    """
    use_cache = use_cache and settings.HUB_RESPONSE_CACHE
    key, version, query = request_key(request)
    stored: CachedResponse | None = cache.get(key) if use_cache else None
    if stored is not None and (response := stored.answer(request)) is not None:
        return response
    state = fingerprint()
    digest = hashlib.sha256(
        f"{version}|{request.path}|{query}|{state.token}".encode()
    ).hexdigest()[:32]
    entry = CachedResponse(
        f'"{digest}"',
        None if state.last_modified is None else int(state.last_modified.timestamp()),
        validator_headers(f'"{digest}"', state.last_modified, max_age, headers),
    )
    if not_modified(request, entry.etag, entry.modified):
        response = entry.answer(request)
        if use_cache and stored is None:
            keep(request, response, key, entry, max_age, early=early)
        return response
    body, content_type = render()
    entry = dataclasses.replace(entry, body=body, content_type=content_type)
    response = entry.answer(request)
    if use_cache:
        keep(request, response, key, entry, max_age, early=early)
    return response


def validator_headers(
    etag: str,
    last_modified: dt.datetime | None,
    max_age: int,
    extra: dict[str, str] | None,
) -> tuple[tuple[str, str], ...]:
    headers = [("ETag", etag)]
    if last_modified is not None:
        headers.append(("Last-Modified", http_date(last_modified.timestamp())))
    headers.append(("Cache-Control", f"public, max-age={max_age}"))
    return (*headers, *(extra or {}).items())


def keep(
    request: HttpRequest,
    response: HttpResponse,
    key: str,
    entry: CachedResponse,
    max_age: int,
    *,
    early: bool,
) -> None:
    """Store `entry` now, or leave it to the middleware that answers this path early."""
    timeout = seconds_until_next_schedule_change(max_age)
    if early and getattr(request, "_hub_store_later", False):
        response._hub_pending_entry = (key, entry, timeout)
    else:
        cache.set(key, entry, timeout=timeout)


def answer_from_cache(request: HttpRequest) -> HttpResponse | None:
    """The stored answer to a GET/HEAD, or None: then the view answers (`serve_cached`)
    and its entry is stored by `store_pending()` on the way out."""
    request._hub_store_later = True
    try:
        key = request_key(request).key
    except SuspiciousOperation:  # e.g. too many fields; the view reports it
        return None
    entry: CachedResponse | None = cache.get(key)
    if entry is None or not entry.recorded:
        return None
    return entry.answer(request)


def store_pending(response: HttpResponse) -> None:
    """Store the entry `serve_cached` made for `response`, with the headers it is sent with.

    Nothing is stored for a response that sets a cookie or varies on a request header:
    an early answer could not reproduce either.
    """
    pending = getattr(response, "_hub_pending_entry", None)
    if pending is None or response.cookies or response.has_header("Vary"):
        return
    key, entry, timeout = pending
    sent = tuple(
        (name, value)
        for name, value in response.items()
        if name.lower() not in REPRESENTATION_HEADERS
    )
    cache.set(
        key, dataclasses.replace(entry, headers=sent, recorded=True), timeout=timeout
    )


def not_modified(request: HttpRequest, etag: str, modified: int | None) -> bool:
    """RFC 7232: If-None-Match wins over If-Modified-Since (`modified`: Unix seconds)."""
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match:
        tags = parse_etags(if_none_match)
        return (
            "*" in tags or etag in tags or etag in [t.removeprefix("W/") for t in tags]
        )
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    return since is not None and modified is not None and modified <= since
