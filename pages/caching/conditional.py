"""Validators of public responses and the conditional answer (304) they allow.

The ETag is a hash of the body (`body_etag`); Last-Modified is when anything in the
answer last changed (`version.last_modified`, an item's `modified_at`).

The decision is Django's `get_conditional_response`, given only what a read of public
data is conditional on: If-None-Match (weak comparison, `*` matches) and, without it,
If-Modified-Since.
"""

import datetime as dt
import hashlib

from django.http import HttpRequest, HttpResponseNotModified
from django.utils.cache import get_conditional_response
from django.utils.http import http_date


def body_etag(body: bytes) -> str:
    """The strong ETag of a body: equal bodies have equal tags, and a body that differs
    never gets the tag of another, whoever rendered it, in whichever process."""
    return f'"{hashlib.sha256(body).hexdigest()[:32]}"'


def validator_headers(
    etag: str,
    last_modified: dt.datetime | None,
    max_age: int,
    extra: dict[str, str] | None,
) -> tuple[tuple[str, str], ...]:
    """ETag, Last-Modified and Cache-Control, then the caller's own headers: what a 200
    and a 304 of one state both carry."""
    headers = [("ETag", etag)]
    if last_modified is not None:
        headers.append(("Last-Modified", http_date(last_modified.timestamp())))
    headers.append(("Cache-Control", f"public, max-age={max_age}"))
    return (*headers, *(extra or {}).items())


class _Read:
    """The part of a request `get_conditional_response` reads: a GET with only the
    preconditions we honour. Building an `HttpRequest` for this costs ~8x as much, on the
    path every 304 takes."""

    __slots__ = ("META",)
    method = "GET"

    def __init__(self, meta: dict[str, str]) -> None:
        self.META = meta


def not_modified_response(
    request: HttpRequest, etag: str, modified: int | None
) -> HttpResponseNotModified | None:
    """A bare 304 if the client's copy is current (`modified`: Unix seconds), else None.

    Public data is read-only, so If-Match and If-Unmodified-Since are ignored (never a
    412), and an If-None-Match header, even one that names no valid tag, rules out
    If-Modified-Since (RFC 9110 13.1.3).
    """
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match == etag:
        # The client sent back the tag it was given: the common case, a match under
        # any comparison, answered without parsing.
        return HttpResponseNotModified()
    if if_none_match:
        read = _Read({"HTTP_IF_NONE_MATCH": if_none_match})
    else:
        since = request.META.get("HTTP_IF_MODIFIED_SINCE", "")
        read = _Read({"HTTP_IF_MODIFIED_SINCE": since})
    response = get_conditional_response(read, etag=etag, last_modified=modified)  # type: ignore[arg-type]
    return response if isinstance(response, HttpResponseNotModified) else None


def not_modified(request: HttpRequest, etag: str, modified: int | None) -> bool:
    """True if the client's copy is current: If-None-Match wins over If-Modified-Since."""
    return not_modified_response(request, etag, modified) is not None
