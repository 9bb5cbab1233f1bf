"""Listing filters of the public contract, parsed once and applied once for every surface.

The API, the feeds, the embeds and the public index pages all turn a query string into a
`ContentQuery` and ask it for `queryset()`; no surface filters on its own.
"""

import datetime as dt
import re
import unicodedata
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NoReturn
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import (
    Case,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.expressions import Combinable
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from wagtail.models import Locale, Page

from hub.languages import UnknownLanguage

from . import keyset, locales, sections
from .enums import EventStatus
from .models.event import EventOccurrence, EventPage
from .sections import ALL_ITEMS, SECTIONS
from .snippets import source_language

BERLIN = ZoneInfo("Europe/Berlin")
MAX_LIMIT = 100
DEFAULT_LIMIT = 20
MAX_QUERY_LENGTH = 200
MAX_LIST_ITEMS = 50
MAX_OFFSET = 1_000_000_000
SEARCH_RESULT_CAP = 1000
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

COMMON_PARAMETERS = frozenset(
    {"city", "target_group", "topic", "q", "updated_since", "ordering", "lang"}
)
EVENT_PARAMETERS = frozenset({"from", "to", "upcoming", "status"})
PAGING_PARAMETERS = frozenset({"limit", "offset"})
LIST_PARAMETERS = frozenset({"city", "target_group", "topic", "status"})
"""Parameters with several values: `status=a&status=b` means `status=a,b`. Every other
parameter has one value, and giving it twice is an error (never first or last wins)."""
REPEATED = "Given more than once; only list parameters may repeat."
NUL = "Must not contain NUL characters."
SEARCH_TERM_RE = re.compile(r"[^\W_]+")


class InvalidParameters(ValueError):
    """Every bad parameter of a request, by name, with a message a developer can act on."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(
            "; ".join(f"{name}: {message}" for name, message in errors.items())
        )
        self.errors = errors


@dataclass(frozen=True)
class ContentQuery:
    """A validated listing request for one section (its public name, or "items" for all)."""

    section: str
    cities: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    q: str = ""
    updated_since: dt.datetime | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    upcoming: bool | None = None
    statuses: tuple[str, ...] = ()
    ordering: str = ""
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    language: str = settings.LANGUAGE_CODE
    """The language of the items' text (`lang`); the items listed are the same in all."""
    now: dt.datetime = field(default_factory=timezone.now, compare=False)

    # --- parsing ------------------------------------------------------------------

    @classmethod
    def allowed_parameters(
        cls, section: str, *, paginated: bool = True, event_filters: bool | None = None
    ) -> frozenset[str]:
        allowed = set(COMMON_PARAMETERS)
        if (
            event_filters
            if event_filters is not None
            else _section(section).event_filters
        ):
            allowed |= EVENT_PARAMETERS
        if paginated:
            allowed |= PAGING_PARAMETERS
        return frozenset(allowed)

    @classmethod
    def from_params(
        cls,
        section: str,
        params: Mapping[str, str],
        *,
        paginated: bool = True,
        event_filters: bool | None = None,
        ignore: frozenset[str] = frozenset(),
        lenient: bool = False,
    ) -> "ContentQuery":
        """Parse a query string; raise `InvalidParameters` naming every bad parameter.

        `params` is a `QueryDict` (or a plain mapping of one value each). `ignore`
        names parameters another layer owns and reads once (e.g. an embed's colours);
        `lenient` ignores unknown parameters instead (a link with `utm_source`).
        """
        orderings = _section(section).orderings
        allowed = cls.allowed_parameters(
            section, paginated=paginated, event_filters=event_filters
        )
        read = [name for name in params if name in allowed or name in ignore]
        values, errors = read_parameters(params, read)
        parser = _Parser(values)
        parser.errors.update(errors)
        if not lenient:
            for name in params:
                if name not in allowed and name not in ignore:
                    parser.errors[name] = "Unknown parameter."
        date_from = parser.date("from")
        date_to = parser.date("to")
        if date_from and date_to and date_from > date_to:
            parser.errors["to"] = "Must not be before 'from'."
        return cls._checked(
            parser,
            section=section,
            cities=parser.slugs("city"),
            target_groups=parser.slugs("target_group"),
            topics=parser.slugs("topic"),
            q=parser.text("q"),
            updated_since=parser.datetime("updated_since"),
            date_from=date_from,
            date_to=date_to,
            upcoming=parser.boolean("upcoming"),
            statuses=parser.choices("status", EventStatus.values),
            ordering=parser.choice("ordering", list(orderings))
            or next(iter(orderings)),
            limit=parser.integer("limit", DEFAULT_LIMIT, minimum=1, maximum=MAX_LIMIT),
            offset=parser.integer("offset", 0, minimum=0, maximum=None),
            language=parser.language("lang"),
        )

    @classmethod
    def _checked(cls, parser: "_Parser", **values: Any) -> "ContentQuery":
        if parser.errors:
            raise InvalidParameters(parser.errors)
        return cls(**values)

    # --- querying -----------------------------------------------------------------

    @property
    def is_empty_page(self) -> bool:
        """An offset so large no database could hold that many rows."""
        return self.offset > MAX_OFFSET

    def queryset(self) -> QuerySet:
        """Visible items matching every filter, in the requested order (not yet sliced)."""
        section = _section(self.section)
        if section is ALL_ITEMS:
            return self._items_queryset()
        model = section.page_model
        queryset = self._filtered(model)
        if model is EventPage:
            queryset = queryset.annotate(sort_start=self._sort_start())
        return queryset.order_by(*keyset.order_by(self.ordering_fields))

    @property
    def ordering_fields(self) -> sections.Ordering:
        """The model fields of the requested ordering (NULL sorts last ascending)."""
        return _section(self.section).orderings[self.ordering]

    def page(self) -> QuerySet | list:
        """The requested slice of `queryset()`."""
        if self.is_empty_page:
            return []
        return self.queryset()[self.offset : self.offset + self.limit]

    def visible(self, model: type[Page]) -> QuerySet:
        """Visible items of one page model matching every filter (unordered)."""
        return self._filtered(model)

    def _items_queryset(self) -> QuerySet:
        matching = Q()
        for section in SECTIONS:
            matching |= Q(pk__in=self._filtered(section.page_model).values("pk"))
        pages: QuerySet = Page.objects.filter(matching)
        return pages.order_by(*keyset.order_by(self.ordering_fields))

    def _filtered(self, model: type[Page]) -> QuerySet:
        queryset: QuerySet = model.objects.listed()
        if self.cities:
            queryset = queryset.filter(self._term_filter(model, "city", self.cities))
        if self.target_groups:
            queryset = queryset.filter(
                self._term_filter(model, "target_groups", self.target_groups)
            )
        if self.topics:
            queryset = queryset.filter(self._term_filter(model, "topics", self.topics))
        if self.updated_since:
            queryset = queryset.filter(item_state__modified_at__gte=self.updated_since)
        if self.q:
            queryset = queryset.filter(translation_key__in=self._search_keys(model))
        if model is EventPage:
            if self.statuses:
                queryset = queryset.filter(status__in=self.statuses)
            if self.date_from or self.date_to or self.upcoming is not None:
                queryset = queryset.filter(self._occurrence_filter())
        return queryset

    @staticmethod
    def _term_filter(model: type[Page], name: str, slugs: tuple[str, ...]) -> Q:
        """Items linked to a German entry with one of `slugs`. A translated entry has
        the same slug; content links only the German one, and so does this filter."""
        german = source_language()
        if model is EventPage and name == "city":
            return Q(city__slug__in=slugs, city__locale__language_code=german)
        field_name = "cities" if name == "city" else name
        relation = model._meta.get_field(field_name)
        through = relation.remote_field.through
        term = relation.m2m_reverse_field_name()
        links = through.objects.filter(
            **{
                relation.m2m_field_name(): OuterRef("pk"),
                f"{term}__slug__in": slugs,
                f"{term}__locale__language_code": german,
            }
        )
        return Q(Exists(links))

    def _search_keys(self, model: type[Page]) -> QuerySet | list[uuid.UUID]:
        """The translation keys of the pages whose text matches `q`: in German, and in
        the language asked for (a reader searches the words on the screen, which are the
        translation's or, where there is none, the German page's). The items are the
        German pages with those keys; `listed()` decides which a reader may see, and a
        translation's words count only where the public sees that translation."""
        terms = search_terms(self.q)
        if not terms:
            return []
        german = source_language()
        tags = {german, self.language}
        results = (
            model.objects.live()
            .filter(locale__in=Locale.objects.filter(language_code__in=tags))
            .search(terms, operator="and", order_by_relevance=False)
        )
        pks = [page.pk for page in results[:SEARCH_RESULT_CAP]]
        keys: QuerySet
        if self.language == german:
            keys = model.objects.filter(pk__in=pks).values("translation_key")
            return keys
        shown = Q(locale__language_code=german) | Q(
            pk__in=model.objects.visible().filter(pk__in=pks).values("pk")
        )
        keys = model.objects.filter(shown, pk__in=pks).values("translation_key")
        return keys

    def _occurrence_window(self) -> Q:
        """Occurrences that overlap [from, to] (whole Berlin days) and, if asked, are upcoming.

        A bound beyond the calendar's ends (`from=0001-01-01`, `to=9999-12-31`) is no
        bound at all.
        """
        window = Q()
        lower = _day_start(self.date_from) if self.date_from else None
        if lower:
            window &= Q(ends_at__gt=lower) | Q(starts_at__gte=lower)
        upper = _day_start(self.date_to, days_later=1) if self.date_to else None
        if upper:
            window &= Q(starts_at__lt=upper)
        if self.upcoming:
            window &= Q(ends_at__gte=self.now)
        return window

    def _occurrence_filter(self) -> Q:
        """Events with an occurrence in [from, to] that, if asked, is upcoming (or all past).

        `upcoming` reads the event's last end (`last_ends_at`, kept by the database), so
        a city's upcoming events come from one index range instead of a check of every
        event's occurrences.
        """
        matching = Q()
        if self.upcoming is True:
            matching &= Q(last_ends_at__gte=self.now)
        elif self.upcoming is False:
            matching &= Q(last_ends_at__lt=self.now)
        if self.date_from or self.date_to:
            occurrences = EventOccurrence.objects.filter(page=OuterRef("pk"))
            matching &= Q(Exists(occurrences.filter(self._occurrence_window())))
        return matching

    def _sort_start(self) -> Combinable:
        """The first start among the occurrences the filters match, for the `start` order.

        Read from the event's own row where that is the same, so sorting thousands of
        matches does not look up each one's occurrences.
        """
        if self.date_from or self.date_to:
            return Subquery(self._first_matching_start())
        if self.upcoming:
            # Until an event's first occurrence is over, all of them are upcoming.
            return Case(
                When(first_ends_at__gte=self.now, then=F("first_starts_at")),
                default=Subquery(self._first_matching_start()),
            )
        return F("first_starts_at")

    def _first_matching_start(self) -> QuerySet:
        occurrences: QuerySet = EventOccurrence.objects.filter(page=OuterRef("pk"))
        return (
            occurrences.filter(self._occurrence_window())
            .order_by("starts_at")
            .values("starts_at")[:1]
        )


def read_parameters(
    params: Mapping[str, str],
    names: Iterable[str],
    *,
    lists: frozenset[str] = LIST_PARAMETERS,
) -> tuple[dict[str, str], dict[str, str]]:
    """One value per parameter, by the one rule every surface follows.

    A list parameter (`lists`) given several times is the comma-joined list of its
    values; any other parameter given more than once is an error naming it. `params`
    is a `QueryDict` or a plain mapping of one value each. Returns the values and the
    errors.
    """
    getlist = getattr(params, "getlist", None)
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name in names:
        if name not in params:
            continue
        given: list[str] = list(getlist(name)) if getlist else [params[name]]
        if name in lists:
            values[name] = ",".join(given)
        elif len(given) > 1:
            errors[name] = REPEATED
        elif given:
            values[name] = given[0]
    return values, errors


def search_terms(text: str) -> str:
    """The words of a search, without anything a database's full-text syntax reads.

    Quotes, operators (`& | ! <-> : * - +`), parentheses and control characters never
    reach SQLite's FTS5 or PostgreSQL's tsquery; every word must still match.
    """
    return " ".join(SEARCH_TERM_RE.findall(unicodedata.normalize("NFC", text)))


def _day_start(day: dt.date, *, days_later: int = 0) -> dt.datetime | None:
    """Midnight in Berlin starting `day` (plus `days_later`); None beyond the calendar."""
    try:
        start = dt.datetime.combine(
            day + dt.timedelta(days=days_later), dt.time.min, BERLIN
        )
        start.astimezone(dt.UTC)  # year 1 in Berlin is year 0 in UTC
    except OverflowError:
        return None
    return start


def _section(name: str) -> sections.Section:
    try:
        return sections.get(name)
    except sections.UnknownSection:
        raise ValueError(f"unknown section {name!r}") from None


class _Parser:
    """Reads raw query values, recording one message per bad parameter."""

    def __init__(self, params: Mapping[str, str]):
        self.params = params
        self.errors: dict[str, str] = {}

    def raw(self, name: str) -> str | None:
        value = self.params.get(name)
        if value is None:
            return None
        if "\x00" in value:
            self.errors[name] = NUL
            return None
        return value.strip()

    def slugs(self, name: str) -> tuple[str, ...]:
        value = self.raw(name)
        if not value:
            return ()
        slugs = tuple(
            dict.fromkeys(part.strip() for part in value.split(",") if part.strip())
        )
        if len(slugs) > MAX_LIST_ITEMS:
            self.errors[name] = f"At most {MAX_LIST_ITEMS} values."
        elif bad := [slug for slug in slugs if not SLUG_RE.match(slug)]:
            self.errors[name] = (
                f"Not a slug: {bad[0][:40]!r}. Slugs are lowercase ASCII with hyphens, "
                "comma-separated for several."
            )
        return slugs

    def choices(self, name: str, allowed: list[str]) -> tuple[str, ...]:
        value = self.raw(name)
        if not value:
            return ()
        chosen = tuple(
            dict.fromkeys(part.strip() for part in value.split(",") if part.strip())
        )
        if bad := [item for item in chosen if item not in allowed]:
            self.errors[name] = (
                f"Unknown value {bad[0][:40]!r}; allowed: {', '.join(allowed)}."
            )
        return chosen

    def choice(self, name: str, allowed: list[str]) -> str | None:
        value = self.raw(name)
        if not value:
            return None
        if value not in allowed:
            self.errors[name] = (
                f"Unknown value {value[:40]!r}; allowed: {', '.join(allowed)}."
            )
            return None
        return value

    def language(self, name: str) -> str:
        """A language the hub offers, as its canonical tag (German when absent)."""
        value = self.raw(name)
        if not value:
            return settings.LANGUAGE_CODE
        try:
            return locales.resolve(value).tag
        except UnknownLanguage:
            self.errors[name] = locales.unknown_message(value)
            return settings.LANGUAGE_CODE

    def text(self, name: str) -> str:
        value = self.raw(name) or ""
        if len(value) > MAX_QUERY_LENGTH:
            self.errors[name] = f"At most {MAX_QUERY_LENGTH} characters."
            return ""
        return value

    def boolean(self, name: str) -> bool | None:
        value = self.raw(name)
        if value is None or value == "":
            return None
        if value.lower() in {"true", "1"}:
            return True
        if value.lower() in {"false", "0"}:
            return False
        self.errors[name] = "Must be 'true' or 'false'."
        return None

    def integer(
        self, name: str, default: int, *, minimum: int, maximum: int | None
    ) -> int:
        value = self.raw(name)
        if value is None or value == "":
            return default
        if not value.isascii() or not value.isdigit() or len(value) > 18:
            self.errors[name] = (
                f"Must be a whole number between {minimum} and {maximum}."
                if maximum
                else f"Must be a whole number, at least {minimum}."
            )
            return default
        number = int(value)
        if number < minimum or (maximum is not None and number > maximum):
            self.errors[name] = f"Must be between {minimum} and {maximum}."
            return default
        return number

    def date(self, name: str) -> dt.date | None:
        value = self.raw(name)
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value) if len(value) == 10 else _bad_date()
        except ValueError:
            self.errors[name] = "Must be a date in ISO 8601 form, e.g. 2020-08-24."
            return None

    def datetime(self, name: str) -> dt.datetime | None:
        value = self.raw(name)
        if not value:
            return None
        try:
            parsed = (
                dt.datetime.combine(dt.date.fromisoformat(value), dt.time.min)
                if len(value) == 10
                else parse_datetime(value)
            )
            if parsed is None:
                raise ValueError(value)
            if timezone.is_naive(parsed):
                parsed = parsed.replace(tzinfo=BERLIN)
            parsed.astimezone(
                dt.UTC
            )  # overflowing offsets fail here, not in the database
        except (ValueError, OverflowError):
            self.errors[name] = (
                "Must be an ISO 8601 date-time, e.g. 2020-11-02T08:00:00+01:00 "
                "(without offset: Europe/Berlin)."
            )
            return None
        return parsed


def _bad_date() -> NoReturn:
    raise ValueError("not a calendar date")
