"""`serve_cached()`: what a public view calls once parameters and visibility are checked."""

import dataclasses
import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from .conditional import Fingerprint, not_modified, validator_headers
from .store import CachedResponse, keep, remember_spelling, request_key
from .version import cache_key

DEFAULT_MAX_AGE = 60


def serve_cached(
    request: HttpRequest,
    *,
    fingerprint: Callable[[], Fingerprint],
    render: Callable[[], tuple[bytes, str]],
    max_age: int = DEFAULT_MAX_AGE,
    headers: dict[str, str] | None = None,
    use_cache: bool = True,
    early: bool = True,
    keyed_by_query: bool = True,
) -> HttpResponse:
    """Answer a public GET/HEAD from the versioned cache, with 304 when the client is current.

    The answer must depend on nothing but the request's path and query string (and the
    visible content). `fingerprint` and `render` are only called on a cache miss, and
    `render` (which returns the body and its content type) only when the client needs
    the body. Call this only after parameters and visibility are checked. `early=False`
    keeps the answer from `CachedResponseMiddleware`, so the view runs every time: for
    a view that re-checks visibility itself (a detail is 404 the moment it is hidden,
    even in a worker whose cache has not yet seen the new content version).
    `keyed_by_query=False`: for a view that ignores the query string, so any query
    string shares the one entry (no entry per made-up parameter).
    """
    use_cache = use_cache and settings.HUB_RESPONSE_CACHE
    _, version, _, key, query = request_key(request)
    if not keyed_by_query:
        key, query = cache_key("response", request.path, "", version=version), ""
    elif use_cache:
        remember_spelling(request, max_age)
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
        response = entry.respond(request)
        if use_cache and stored is None:
            keep(request, response, key, entry, max_age, early=early)
        return response
    body, content_type = render()
    entry = dataclasses.replace(entry, body=body, content_type=content_type)
    response = entry.respond(request)
    if use_cache:
        keep(request, response, key, entry, max_age, early=early)
    return response
