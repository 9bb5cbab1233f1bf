"""`/api/v1/changes/`: the change feed a partner keeps an exact copy with.

Without `cursor`: every visible item (paged by id), then a cursor. With it: what changed
since — items in their list representation, `deleted` entries for everything that left
public view — read from the change log (`pages.sync`). A client stores `cursor` from
every answer, follows `next` while it is not null, and comes back later with the cursor
it stored.

The cursor is opaque to clients: the log position (`s`), during the initial walk the
last id returned (`a`), and a hash of the filters it was made for (`f`), so a cursor
cannot be combined with other filters by mistake. A cursor from before the kept log
(`pages.sync.horizon`), or one from the future (a database restored from a backup), is
answered with 410: start again without a cursor.
"""

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict

from wagtail.models import Page

from pages import items, sections, sync
from pages.api import problems
from pages.api.schemas import ITEM_SHAPES, ChangeList, Deleted, local
from pages.api.views import PublicAPIView, render_json
from pages.caching import serve_cached
from pages.filters import ContentQuery, InvalidParameters
from pages.links import absolute
from pages.models import ChangeLogEntry

FILTERS = ("type", "city", "target_group", "topic", "q", "lang")
PARAMETERS = frozenset({*FILTERS, "limit", "cursor"})
ITEM_TYPES = {section.item_type: section for section in sections.SECTIONS}
MAX_CURSOR_LENGTH = 200
CURSOR_VERSION = 1
BAD_CURSOR = (
    "Not a cursor of this feed: send back `cursor` exactly as an answer gave it, "
    "with the same filters."
)
RESYNC = (
    "This cursor is older than the change log's {days} days (or from before a "
    "restore): start again without `cursor` and replace your copy."
)


@dataclass(frozen=True)
class Cursor:
    seq: int
    """Log position: changes after it are still to come."""
    after: int | None = None
    """During the initial walk: the last id returned."""

    def encode(self, filters: str) -> str:
        payload: dict[str, Any] = {"v": CURSOR_VERSION, "s": self.seq, "f": filters}
        if self.after is not None:
            payload["a"] = self.after
        raw = json.dumps(payload, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str, filters: str) -> "Cursor":
        """The cursor in `text`; `ValueError` unless it is one of ours for `filters`."""
        if len(text) > MAX_CURSOR_LENGTH:
            raise ValueError
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            payload = json.loads(raw)
        except (binascii.Error, ValueError, UnicodeDecodeError):
            raise ValueError from None
        if not isinstance(payload, dict) or set(payload) - {"v", "s", "f", "a"}:
            raise ValueError
        seq, after = payload.get("s"), payload.get("a")
        if (
            payload.get("v") != CURSOR_VERSION
            or payload.get("f") != filters
            or not isinstance(seq, int)
            or not _position(seq)
            or not (after is None or _position(after))
        ):
            raise ValueError
        return cls(seq, after)


def _position(value: object) -> bool:
    return type(value) is int and 0 <= value < 2**63


@dataclass(frozen=True)
class ChangeQuery:
    query: ContentQuery
    """The taxonomy filters and `q`, parsed as on `/api/v1/items/`."""
    sections: tuple[sections.Section, ...]
    limit: int
    cursor: Cursor | None
    filters: str
    """Identifies the filters in cursors."""

    @classmethod
    def parse(cls, params: QueryDict) -> "ChangeQuery":
        errors: dict[str, str] = {}
        for name, values in params.lists():
            if name not in PARAMETERS:
                errors[name] = "Unknown parameter."
            elif any(not value.strip() for value in values):
                errors[name] = "Must not be empty; leave the parameter out instead."
            elif len(values) > 1 and name in ("cursor", "limit", "q", "lang"):
                errors[name] = "Given more than once; only list parameters may repeat."
        content = QueryDict(mutable=True)
        for name in ("city", "target_group", "topic", "q", "limit", "lang"):
            if name in params and name not in errors:
                content.setlist(name, params.getlist(name))
        query = ContentQuery(section=sections.ALL_ITEMS.name)
        try:
            query = ContentQuery.from_params(sections.ALL_ITEMS.name, content)
        except InvalidParameters as error:
            errors.update(error.errors)
        types = _types(params, errors)
        filters = _filters_id(query, types)
        cursor = None
        if "cursor" in params and "cursor" not in errors:
            try:
                cursor = Cursor.decode(str(params["cursor"]), filters)
            except ValueError:
                errors["cursor"] = BAD_CURSOR
        if errors:
            raise InvalidParameters(errors)
        return cls(query, types, query.limit, cursor, filters)

    @property
    def taxonomies(self) -> dict[str, tuple[str, ...]]:
        return {
            "city": self.query.cities,
            "target_group": self.query.target_groups,
            "topic": self.query.topics,
        }


def _types(params: QueryDict, errors: dict[str, str]) -> tuple[sections.Section, ...]:
    if "type" not in params or "type" in errors:
        return sections.SECTIONS
    names = [
        name.strip() for value in params.getlist("type") for name in value.split(",")
    ]
    unknown = [name for name in names if name not in ITEM_TYPES]
    if unknown:
        errors["type"] = (
            f"Unknown type {', '.join(sorted(set(unknown)))}; one or more of "
            f"{', '.join(ITEM_TYPES)}."
        )
        return sections.SECTIONS
    return tuple(s for s in sections.SECTIONS if s.item_type in set(names))


def _filters_id(query: ContentQuery, types: tuple[sections.Section, ...]) -> str:
    normal = [
        sorted(s.name for s in types),
        sorted(query.cities),
        sorted(query.target_groups),
        sorted(query.topics),
        query.q,
    ]
    if query.language != settings.LANGUAGE_CODE:
        # A cursor keeps its language: an answer's texts are all in one language.
        normal.append(query.language)
    return hashlib.sha256(json.dumps(normal).encode()).hexdigest()[:12]


class ChangeFeedView(PublicAPIView):
    def get(self, request: HttpRequest) -> HttpResponse:
        changes = ChangeQuery.parse(request.GET)
        if changes.cursor is not None and changes.cursor.after is None:
            kept_from, newest = sync.horizon(), sync.newest_seq()
            if changes.cursor.seq < kept_from or changes.cursor.seq > newest:
                return problems.problem(410, RESYNC.format(days=sync.retention().days))

        def render() -> tuple[bytes, str]:
            if changes.cursor is None or changes.cursor.after is not None:
                page = _initial(changes)
            else:
                page = _since(changes, changes.cursor.seq)
            return render_json(page.shape(request, changes))

        # Every poll reads the log (a cheap indexed read): no stored copy can lag
        # behind it, and edges revalidate (`max-age=0`) with the ETag.
        return serve_cached(
            request,
            render=render,
            last_modified=lambda: None,
            max_age=0,
            use_cache=False,
        )


@dataclass
class _Page:
    items: list[items.Item]
    deleted: list[Deleted]
    cursor: Cursor
    more: bool

    def shape(self, request: HttpRequest, changes: ChangeQuery) -> ChangeList:
        token = self.cursor.encode(changes.filters)
        return ChangeList(
            items=[
                ITEM_SHAPES[item.section.name].from_row(item) for item in self.items
            ],
            deleted=self.deleted,
            next=_link(request, token) if self.more else None,
            cursor=token,
        )


def _link(request: HttpRequest, token: str) -> str:
    params = request.GET.copy()
    params["cursor"] = token
    return absolute(f"{request.path}?{params.urlencode()}")


def _initial(changes: ChangeQuery) -> _Page:
    """Every visible item, by id; the log position is taken before the first page, so
    what changes during the walk comes again with the cursor that ends it."""
    cursor = changes.cursor or Cursor(sync.newest_seq())
    pks: list[int] = []
    for section in changes.sections:
        visible = changes.query.visible(section.page_model)
        if cursor.after is not None:
            visible = visible.filter(pk__gt=cursor.after)
        pks += visible.order_by("pk").values_list("pk", flat=True)[: changes.limit + 1]
    pks = sorted(pks)[: changes.limit + 1]
    more = len(pks) > changes.limit
    pks = pks[: changes.limit]
    loaded = _load(pks, changes.query.language)
    if more:
        return _Page(loaded, [], Cursor(cursor.seq, pks[-1]), True)
    return _Page(loaded, [], Cursor(cursor.seq), False)


def _since(changes: ChangeQuery, seq: int) -> _Page:
    """What the log holds after `seq`, at most `limit` entries."""
    names = [section.name for section in changes.sections]
    # Read before the entries: the log is committed in `seq` order, so every entry up
    # to here is either below or among what the query returns.
    newest = sync.newest_seq()
    entries = list(
        ChangeLogEntry.objects.filter(seq__gt=seq, section__in=names).order_by("seq")[
            : changes.limit + 1
        ]
    )
    more = len(entries) > changes.limit
    entries = entries[: changes.limit]
    if not entries:
        # Nothing of the asked-for types: move past the others' entries, so a quiet
        # filtered feed does not fall behind the kept log.
        return _Page([], [], Cursor(max(seq, newest)), False)
    last: dict[int, ChangeLogEntry] = {}
    related: dict[int, list[ChangeLogEntry]] = {}
    for entry in entries:
        last[entry.page_id] = entry
        related.setdefault(entry.page_id, []).append(entry)
    shown = _visible_matching(changes, list(last))
    wanted = changes.taxonomies
    deleted = [
        Deleted(
            type=sync.section_named(entry.section).item_type,
            id=pk,
            deleted_at=local(entry.at),
        )
        for pk, entry in last.items()
        if pk not in shown
        and any(
            sync.matches(e.filters, wanted) or sync.matches(e.previous_filters, wanted)
            for e in related[pk]
        )
    ]
    loaded = _load(sorted(shown, key=lambda pk: last[pk].seq), changes.query.language)
    end = entries[-1].seq if more else max(entries[-1].seq, newest)
    return _Page(loaded, deleted, Cursor(end), more)


def _visible_matching(changes: ChangeQuery, page_ids: list[int]) -> set[int]:
    found: set[int] = set()
    for section in changes.sections:
        found |= set(
            changes.query.visible(section.page_model)
            .filter(pk__in=page_ids)
            .values_list("pk", flat=True)
        )
    return found


def _load(pks: list[int], language: str) -> list[items.Item]:
    if not pks:
        return []
    types = dict(Page.objects.filter(pk__in=pks).values_list("pk", "content_type_id"))
    by_pk = {
        item.id: item
        for item in items.load_ids(
            [(pk, types[pk]) for pk in pks if pk in types],
            items.EVERYTHING,
            language=language,
            translations=True,
        )
    }
    return [by_pk[pk] for pk in pks if pk in by_pk]
