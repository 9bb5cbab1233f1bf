"""`serve_cached()`: what a public view calls once parameters and visibility are checked."""

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from .conditional import body_etag, validator_headers
from .store import CachedResponse, keep, remember_spelling, request_key, request_state
from .version import Clock, cache_key, clock, lifetime
from .version import last_modified as version_last_modified

DEFAULT_MAX_AGE = 60


def serve_cached(
    request: HttpRequest,
    *,
    render: Callable[[], tuple[bytes, str]],
    last_modified: Callable[[], dt.datetime | None] | None = None,
    max_age: int = DEFAULT_MAX_AGE,
    headers: dict[str, str] | None = None,
    use_cache: bool = True,
    early: bool = True,
    keyed_by_query: bool = True,
) -> HttpResponse:
    """Answer a public GET/HEAD from the versioned cache, with 304 when the client is current.

    The answer must depend on nothing but the request's path and query string (and the
    visible content). On a cache miss `render` (which returns the body and its content
    type) builds the body, whose hash is the ETag (`body_etag`), so a 304 is only ever
    sent for the very body the client holds. `last_modified` says when anything in the
    answer last changed (default: `version.last_modified`, the last change to the
    content or a moment the clock passed that changes lists). Call this only after
    parameters and visibility are checked. `early=False` keeps the answer from
    `CachedResponseMiddleware`, so the view runs every time: for a view that re-checks
    visibility itself. `keyed_by_query=False`: for a view that ignores the query
    string, so any query string shares the one entry (no entry per made-up parameter).
    """
    use_cache = use_cache and settings.HUB_RESPONSE_CACHE
    key = ""
    if use_cache:
        known = request_key(request)
        key = known.shared_key
        if not keyed_by_query:
            key = cache_key("response", request.path, "", version=known.state.token)
        else:
            remember_spelling(request, max_age)
        stored: CachedResponse | None = cache.get(key)
        if stored is not None and (response := stored.answer(request)) is not None:
            return response
    # An answer that depends on no content (`last_modified` given, nothing stored)
    # reads nothing from the database.
    moments: Clock | None
    if last_modified is not None:
        modified, moments = last_modified(), clock() if use_cache else None
    else:
        moments = clock()
        modified = version_last_modified(request_state(request), moments)
    timeout = lifetime(max_age, moments) if moments is not None else max_age
    body, content_type = render()
    etag = body_etag(body)
    if modified is not None and not second_is_over(
        modified, request_state(request).read_at
    ):
        # Another change within this second would get the same HTTP date: until the
        # second is over, the date cannot tell copies apart, and only the tag is sent.
        modified, timeout = None, 1
    entry = CachedResponse(
        etag,
        None if modified is None else int(modified.timestamp()),
        validator_headers(etag, modified, max_age, headers),
        content_type,
        body,
    )
    response = entry.respond(request)
    if use_cache:
        keep(request, response, key, entry, timeout, early=early)
    return response


def second_is_over(moment: dt.datetime, now: dt.datetime) -> bool:
    """Whether the whole second of `moment` (Last-Modified has whole seconds) has passed
    at `now` (the database's clock, which stamps changes): then any later change has a
    later HTTP date."""
    return now >= moment.replace(microsecond=0) + dt.timedelta(seconds=1)
