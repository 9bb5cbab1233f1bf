"""The response store: one entry per request path, canonical query and content version.

An entry holds the validators and headers of an answer, and its body once a 200 has been
rendered. Entries made by `serve_cached` are stored at once, or (under
`CachedResponseMiddleware`) by `store_pending()` with every header the stack added, which
makes them `recorded`: only those are answered before the view.
"""

import dataclasses
from dataclasses import dataclass
from operator import itemgetter
from typing import NamedTuple
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse

from .conditional import not_modified_response
from .version import cache_key, content_version, seconds_until_next_schedule_change

# Headers of one particular body; an entry replays every other header as it was sent.
REPRESENTATION_HEADERS = frozenset({"content-type", "content-length"})


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
        the body is needed but not stored. A 304 carries every header a 200 would."""
        current = not_modified_response(request, self.etag, self.modified)
        if current is None and self.body is None:
            return None
        return self._finish(request, current)

    def respond(self, request: HttpRequest) -> HttpResponse:
        """Like `answer()`, for an entry whose body is known to be there when needed."""
        return self._finish(
            request, not_modified_response(request, self.etag, self.modified)
        )

    def _finish(
        self, request: HttpRequest, not_modified: HttpResponse | None
    ) -> HttpResponse:
        response: HttpResponse
        if not_modified is not None:
            response, length = not_modified, 0
        else:
            body = self.body or b""
            response = HttpResponse(
                b"" if request.method == "HEAD" else body,
                content_type=self.content_type,
            )
            length = len(body)
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
        known = RequestKey(key, version, query)
        setattr(request, "_hub_request_key", known)  # noqa: B010 - per-request memo
    return known


def keep(
    request: HttpRequest,
    response: HttpResponse,
    key: str,
    entry: CachedResponse,
    max_age: int,
    *,
    early: bool,
) -> None:
    """Store `entry` now, or leave it to the middleware that answers this path early.

    It lives no longer than `max_age` nor past the next scheduled go-live or expiry.
    """
    timeout = seconds_until_next_schedule_change(max_age)
    if early and getattr(request, "_hub_store_later", False):
        setattr(response, "_hub_pending_entry", (key, entry, timeout))  # noqa: B010
    else:
        cache.set(key, entry, timeout=timeout)


def answer_from_cache(request: HttpRequest) -> HttpResponse | None:
    """The stored answer to a GET/HEAD, or None: then the view answers (`serve_cached`)
    and its entry is stored by `store_pending()` on the way out."""
    setattr(request, "_hub_store_later", True)  # noqa: B010 - read by keep()
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
