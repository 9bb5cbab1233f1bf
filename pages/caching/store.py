"""The response store: one entry per request path, canonical query and content version.

An entry holds the validators and headers of an answer, and its body once a 200 has been
rendered. Entries made by `serve_cached` are stored at once, or (under
`CachedResponseMiddleware`) by `store_pending()` with every header the stack added, which
makes them `recorded`: only those are answered before the view.

Bounded from outside: equivalent query strings share one entry (`canonical_pairs`,
`shared_pairs`), a body above `HUB_RESPONSE_CACHE_MAX_BYTES` is not stored (its
validators are), and the number of entries is the cache's to bound (local memory:
`MAX_ENTRIES`; Redis: `maxmemory` with an LFU policy, checked by `checks`). Every entry
lives at most its `max_age`.
"""

import dataclasses
from collections import Counter
from dataclasses import dataclass
from operator import itemgetter
from typing import NamedTuple
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse

from pages.changes import State
from pages.filters import (
    COMMON_PARAMETERS,
    DEFAULT_LIMIT,
    EVENT_PARAMETERS,
    PAGING_PARAMETERS,
)

from .conditional import not_modified_response
from .version import cache_key, content_state

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
    """Where the early answer (`CachedResponseMiddleware`) looks, before any parsing."""
    state: State
    """The content state this request reads (`request_state`)."""
    query: str
    """The canonical query string (`canonical_pairs`)."""
    shared_key: str
    """Where the entry is stored and read once the view has accepted the parameters."""
    shared_query: str
    """`query` without parameters that say what leaving them out says (`shared_pairs`)."""


# How the contract's filters read a value (`pages.filters`): each normalisation below
# gives a request the same meaning AND the same validity on every route, so an early
# answer never answers a request the view would refuse.
LIST_PARAMETERS = frozenset({"city", "target_group", "topic", "status"})
FLAG_PARAMETERS = frozenset({"upcoming"})
NUMBER_PARAMETERS = PAGING_PARAMETERS
FILTER_PARAMETERS = COMMON_PARAMETERS | EVENT_PARAMETERS | PAGING_PARAMETERS
FLAGS = {"true": "true", "1": "true", "false": "false", "0": "false"}
# What an accepted parameter means when left out (once the view has accepted it).
DEFAULTS = frozenset({("limit", str(DEFAULT_LIMIT)), ("offset", "0")})


def _canonical_value(name: str, value: str) -> str:
    """One spelling of a filter's value: trimmed, a list sorted and without repeats,
    `upcoming` as true/false, numbers without leading zeros."""
    if name not in FILTER_PARAMETERS:
        return value
    value = value.strip()
    if name in LIST_PARAMETERS:
        parts = sorted({part.strip() for part in value.split(",")} - {""})
        return ",".join(parts) if parts else value
    if name in FLAG_PARAMETERS:
        return FLAGS.get(value.lower(), value)
    if name in NUMBER_PARAMETERS and value.isascii() and value.isdigit():
        return str(int(value)) if len(value) <= 18 else value
    return value


def _pairs(request: HttpRequest) -> list[tuple[str, str]]:
    raw = request.META.get("QUERY_STRING", "")
    if not raw:
        return []
    if raw.isascii():
        try:
            return parse_qsl(
                raw,
                keep_blank_values=True,
                max_num_fields=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
            )
        except ValueError:
            raise TooManyFieldsSent("Too many GET parameters.") from None
    return [(name, value) for name, values in request.GET.lists() for value in values]


def canonical_pairs(request: HttpRequest) -> list[tuple[str, str]]:
    """The query's parameters in one spelling per meaning: sorted by name, a filter's
    value in its canonical form (`_canonical_value`).

    Equivalent requests share one entry; requests a view may answer differently never
    do: a repeated name keeps every value in order (a view may read the first, the last
    or all of them), and a value is only respelled where every route reads both
    spellings alike, valid or not. An ASCII query string (what clients send) is parsed
    as `request.GET` would parse it, without building it.
    """
    pairs = _pairs(request)
    if not pairs:
        return []
    counts = Counter(name for name, _ in pairs)
    return sorted(
        (
            (name, value if counts[name] > 1 else _canonical_value(name, value))
            for name, value in pairs
        ),
        key=itemgetter(0),
    )


def shared_pairs(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Canonical `pairs` without the filters that mean what leaving them out means:
    empty ones and defaults (`limit=20`, `offset=0`).

    Only for a request the view has accepted: on a route that refuses a parameter (a
    feed's `limit`, an API list's empty value) leaving it out would change the answer
    from 400 to 200.
    """
    counts = Counter(name for name, _ in pairs)
    return [
        (name, value)
        for name, value in pairs
        if counts[name] > 1
        or name not in FILTER_PARAMETERS
        or (value and (name, value) not in DEFAULTS)
        # A feed without `ordering` takes its own order, not the empty value's.
        or (not value and name == "ordering")
    ]


def request_key(request: HttpRequest) -> RequestKey:
    """Where `request`'s answer is stored, fixed once per request.

    The content version is read before any data, so an entry never holds data older
    than the version in its key.
    """
    known = getattr(request, "_hub_request_key", None)
    if known is None:
        state = request_state(request)
        version = state.token
        pairs = canonical_pairs(request)
        query = urlencode(pairs)
        key = cache_key("response", request.path, query, version=version)
        shared = shared_pairs(pairs)
        if len(shared) == len(pairs):
            known = RequestKey(key, state, query, key, query)
        else:
            shared_query = urlencode(shared)
            shared_key = cache_key(
                "response", request.path, shared_query, version=version
            )
            known = RequestKey(key, state, query, shared_key, shared_query)
        setattr(request, "_hub_request_key", known)  # noqa: B010 - per-request memo
    return known


def request_state(request: HttpRequest) -> State:
    """The content state, read once per request (first by `ContentStateMiddleware`)."""
    state: State | None = getattr(request, "_hub_state", None)
    if state is None:
        state = content_state()
        setattr(request, "_hub_state", state)  # noqa: B010 - per-request memo
    return state


def shared_query_string(request: HttpRequest) -> str:
    """The query string of an accepted request as its answer is stored: the same for
    equivalent requests, for what must not differ between them (a filtered feed's id)."""
    return request_key(request).shared_query


def storable(entry: CachedResponse) -> CachedResponse:
    """`entry`, without its body if that is larger than `HUB_RESPONSE_CACHE_MAX_BYTES`:
    the validators still answer revalidations (304) from the store."""
    if (
        entry.body is not None
        and len(entry.body) > settings.HUB_RESPONSE_CACHE_MAX_BYTES
    ):
        return dataclasses.replace(entry, body=None, content_type="")
    return entry


def keep(
    request: HttpRequest,
    response: HttpResponse,
    key: str,
    entry: CachedResponse,
    timeout: int,
    *,
    early: bool,
) -> None:
    """Store `entry` for `timeout` seconds now, or leave it to the middleware that
    answers this path early."""
    if early and getattr(request, "_hub_store_later", False):
        setattr(response, "_hub_pending_entry", (key, entry, timeout))  # noqa: B010
    else:
        cache.set(key, storable(entry), timeout=timeout)


def remember_spelling(request: HttpRequest, max_age: int) -> None:
    """Point the early key of an accepted request at the entry it shares (a string in
    place of an entry), so its next ask is answered early too.

    Only the view may do this: it has accepted exactly this spelling on this path,
    which `shared_pairs` alone could not know.
    """
    known = request_key(request)
    if known.key != known.shared_key:
        cache.set(known.key, known.shared_key, timeout=max_age)


def answer_from_cache(request: HttpRequest) -> HttpResponse | None:
    """The stored answer to a GET/HEAD, or None: then the view answers (`serve_cached`)
    and its entry is stored by `store_pending()` on the way out."""
    setattr(request, "_hub_store_later", True)  # noqa: B010 - read by keep()
    try:
        key = request_key(request).key
    except SuspiciousOperation:  # e.g. too many fields; the view reports it
        return None
    entry: CachedResponse | str | None = cache.get(key)
    if isinstance(entry, str):  # a spelling the view accepted (`remember_spelling`)
        entry = cache.get(entry)
    if not isinstance(entry, CachedResponse) or not entry.recorded:
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
        key,
        storable(dataclasses.replace(entry, headers=sent, recorded=True)),
        timeout=timeout,
    )
