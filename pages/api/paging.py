"""Paging of the /api/v1/ lists: by `offset`, or by an opaque keyset `cursor`.

Without `cursor` a list pages by `offset`, and its `next`/`previous` links carry
offsets, as in 1.0. `cursor=first` (or `cursor=last`, from the end) starts a walk by
cursor; from then on the links carry cursors, each holding the sort key of the row a
page ends (or starts) with. A page after a cursor starts right after that row wherever
it is now, so items published or unpublished during a walk never shift other items
into the next page twice or out of it unseen (see docs/api-paging.md).

A cursor is urlsafe base64 of a compact JSON array (ordering, a hash of the section and
filters, direction, key) and an HMAC of it: it is only good for the list it was made
for, and anything else (tampered, truncated, made for another ordering or other
filters) is a 400 naming `cursor`.
"""

import base64
import binascii
import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import DateTimeField, Field, QuerySet
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare, salted_hmac

import msgspec

from pages import items, keyset, sections
from pages.filters import ContentQuery, InvalidParameters
from pages.links import absolute

PARAMETER = "cursor"
PARAMETERS = frozenset({PARAMETER})
"""Parameters of the API lists that `ContentQuery` leaves to this module."""
FIRST = "first"
"""The cursor that starts a walk at the beginning of a list."""
LAST = "last"
"""The cursor of the last page of a list (its `previous` links walk backwards)."""

DESCRIPTION = (
    "Keyset paging, the alternative to `offset` for walking a whole list: "
    f"`cursor={FIRST}` starts at the first page (`cursor={LAST}`: at the last); the "
    "`next` and `previous` links of a page then carry an opaque cursor: follow them "
    "as they are. A walk returns every item that stays in the list for the whole walk "
    "exactly once, while items are published or unpublished. An item whose sort key "
    "changes during the walk (`ordering=updated` and an edit) may show twice or not "
    "at all: to keep a copy in sync, read the change feed `/api/v1/changes/`. A cursor "
    "is good for the ordering and filters it was made for (`limit` may change); "
    "anything else, and `cursor` together with `offset`, is a 400 naming `cursor`."
)

MAX_LENGTH = 2000
MAX_PK = 2**63 - 1
MAX_TEXT = 1000
SIGNATURE_BYTES = 16
SALT = "pages.api.paging.cursor"
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]+$")
# `SORT_START` is an annotation (`ContentQuery.queryset`): the start of a datetime.
ANNOTATION_FIELDS: dict[str, Field] = {items.SORT_START: DateTimeField(null=True)}

RESTART = "start again with `cursor=first`"
MALFORMED = (
    "Not a cursor of this list: pass on the cursor of a `next` or `previous` link as "
    f"it is, or {RESTART}."
)
WITH_OFFSET = "Give either `cursor` or `offset`, not both."
OTHER_FILTERS = (
    f"Made for other filters (or another list): keep the filters of the walk, or "
    f"{RESTART}."
)


class Token(msgspec.Struct, array_like=True, forbid_unknown_fields=True):
    """What a cursor holds, signed."""

    ordering: str
    selection: str
    """`selection()` of the list it was made for."""
    backwards: bool
    key: list[str | int | None]


DECODER = msgspec.json.Decoder(Token)
ENCODER = msgspec.json.Encoder()


@dataclass(frozen=True)
class Cursor:
    """A position in a list: beyond `key` (before it: `backwards`); no key: an end."""

    backwards: bool
    key: keyset.Key | None


def read_cursor(params: Mapping[str, str], query: ContentQuery) -> Cursor | None:
    """The request's cursor, None when it pages by offset; `InvalidParameters` naming
    `cursor` for anything but a cursor made for this list (or `first`, `last`).

    Repeated and empty values are refused before (`pages.api.views.parse`).
    """
    raw = params.get(PARAMETER)
    if raw is None:
        return None
    if "offset" in params:
        raise InvalidParameters({PARAMETER: WITH_OFFSET})
    raw = raw.strip()
    if raw in (FIRST, LAST):
        return Cursor(backwards=raw == LAST, key=None)
    token = _verified(raw)
    if token is None:
        raise InvalidParameters({PARAMETER: MALFORMED})
    if token.ordering != query.ordering:
        raise InvalidParameters(
            {
                PARAMETER: f"Made for ordering={token.ordering[:40]}: keep the "
                f"ordering of the walk, or {RESTART}."
            }
        )
    if token.selection != selection(query):
        raise InvalidParameters({PARAMETER: OTHER_FILTERS})
    key = _key(token.key, query)
    if key is None:
        raise InvalidParameters({PARAMETER: MALFORMED})
    return Cursor(backwards=token.backwards, key=key)


def cursor_token(query: ContentQuery, key: keyset.Key, *, backwards: bool) -> str:
    """The opaque cursor of the position beyond `key` in `query`'s list."""
    token = Token(
        ordering=query.ordering,
        selection=selection(query),
        backwards=backwards,
        key=[_plain(value) for value in key],
    )
    payload = ENCODER.encode(token)
    signed = payload + _signature(payload)
    return base64.urlsafe_b64encode(signed).rstrip(b"=").decode()


def selection(query: ContentQuery) -> str:
    """A short hash of the section and every filter (not ordering, nor paging): equal
    for requests that list the same items, whatever the spelling."""
    values = {
        item.name: _normal(getattr(query, item.name))
        for item in fields(query)
        if item.compare and item.name not in {"ordering", "limit", "offset"}
    }
    return hashlib.sha256(ENCODER.encode(values)).hexdigest()[:16]


# --- Paging a list ----------------------------------------------------------------


class Pager:
    """How one request pages: `slice` its list, link the pages next to it."""

    def __init__(self, query: ContentQuery) -> None:
        self.query = query

    def slice(self, queryset: QuerySet) -> items.Slice:
        raise NotImplementedError

    def links(
        self, request: HttpRequest, page: items.Slice
    ) -> tuple[str | None, str | None]:
        """`next` and `previous`."""
        raise NotImplementedError


class OffsetPager(Pager):
    """`offset` (0 when not given) and `limit`; the links carry offsets."""

    def slice(self, queryset: QuerySet) -> items.Slice:
        query = self.query
        if query.is_empty_page:
            return items.slice_of(queryset, 0, 0)
        return items.slice_of(queryset, query.offset, query.limit)

    def links(
        self, request: HttpRequest, page: items.Slice
    ) -> tuple[str | None, str | None]:
        query = self.query
        end = query.offset + query.limit
        previous = (
            max(0, min(query.offset, page.count) - query.limit)
            if query.offset
            else None
        )
        return (
            _link(request, "offset", end) if end < page.count else None,
            _link(request, "offset", previous) if previous is not None else None,
        )


class CursorPager(Pager):
    """`limit` entries beyond a cursor; the links carry cursors."""

    def __init__(self, query: ContentQuery, cursor: Cursor) -> None:
        super().__init__(query)
        self.cursor = cursor

    def slice(self, queryset: QuerySet) -> items.Slice:
        return items.seek(
            queryset,
            self.query.ordering_fields,
            self.cursor.key,
            self.query.limit,
            backwards=self.cursor.backwards,
        )

    def links(
        self, request: HttpRequest, page: items.Slice
    ) -> tuple[str | None, str | None]:
        next_cursor = previous_cursor = None
        if page.has_next:
            next_cursor = (
                cursor_token(self.query, page.keys[-1], backwards=False)
                if page.keys
                else FIRST  # nothing before the cursor: the list starts after it
            )
        if page.has_previous:
            previous_cursor = (
                cursor_token(self.query, page.keys[0], backwards=True)
                if page.keys
                else LAST  # nothing after the cursor: the list ends before it
            )
        return (
            _link(request, PARAMETER, next_cursor),
            _link(request, PARAMETER, previous_cursor),
        )


def pager(params: Mapping[str, str], query: ContentQuery) -> Pager:
    """The request's way of paging (`InvalidParameters` for a bad cursor)."""
    cursor = read_cursor(params, query)
    return OffsetPager(query) if cursor is None else CursorPager(query, cursor)


def _link(request: HttpRequest, name: str, value: int | str | None) -> str | None:
    """The request's URL with `name` set to `value`; None for no value."""
    if value is None:
        return None
    params = request.GET.copy()
    params[name] = str(value)
    return absolute(f"{request.path}?{params.urlencode()}")


# --- The token ---------------------------------------------------------------------


def _signature(payload: bytes) -> bytes:
    return salted_hmac(SALT, payload, algorithm="sha256").digest()[:SIGNATURE_BYTES]


def _verified(raw: str) -> Token | None:
    """The token of a cursor this hub made, None for anything else."""
    if len(raw) > MAX_LENGTH or not TOKEN_RE.match(raw):
        return None
    try:
        signed = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
    except (binascii.Error, ValueError):
        return None
    payload, signature = signed[:-SIGNATURE_BYTES], signed[-SIGNATURE_BYTES:]
    if not payload or not constant_time_compare(signature, _signature(payload)):
        return None
    try:
        return DECODER.decode(payload)
    except msgspec.DecodeError:
        return None


def _plain(value: Any) -> str | int | None:
    """A sort key's value as the cursor holds it (datetimes in UTC)."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None or isinstance(value, str | int):
        return value
    raise TypeError(f"no cursor value for {type(value).__name__}")


def _normal(value: Any) -> Any:
    """A filter's value in one spelling (lists sorted, datetimes in UTC)."""
    if isinstance(value, tuple):
        return sorted(value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _key(values: list[str | int | None], query: ContentQuery) -> keyset.Key | None:
    """The key in a token as the ordering's fields read it; None if it is not one."""
    ordering = query.ordering_fields
    if len(values) != len(ordering):
        return None
    model = sections.get(query.section).page_model
    key = []
    for name, value in zip(ordering, values, strict=True):
        try:
            field = _field(model, name.lstrip("-"))
        except FieldDoesNotExist:
            return None
        checked = _checked(field, value)
        if checked is _INVALID:
            return None
        key.append(checked)
    return tuple(key)


_INVALID = object()


def _checked(field: Field, value: str | int | None) -> Any:
    """`value` as `field` holds it, or `_INVALID` where no row could hold it."""
    if value is None:
        return _INVALID if field.primary_key else None
    if field.primary_key:
        valid = isinstance(value, int) and 0 < value <= MAX_PK
        return value if valid else _INVALID
    if not isinstance(value, str) or len(value) > MAX_TEXT or "\x00" in value:
        return _INVALID
    try:
        value.encode()
        python = field.to_python(value)
        if keyset.compares_as_text(field):
            # The text as the database stores it (naive UTC), compared as text.
            return value if python is not None else _INVALID
        if isinstance(python, dt.datetime):
            if python.tzinfo is None:
                return _INVALID
            python.astimezone(dt.UTC)  # an offset beyond the calendar fails here
    except (ValidationError, ValueError, TypeError, OverflowError, UnicodeError):
        return _INVALID
    return python


def _field(model: Any, path: str) -> Field:
    """The field an ordering's name reads (`item_state__modified_at`, `pk`, …)."""
    if path in ANNOTATION_FIELDS:
        return ANNOTATION_FIELDS[path]
    if path == "pk":
        field: Field = model._meta.pk
        return field
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    field = model._meta.get_field(name)
    return field
