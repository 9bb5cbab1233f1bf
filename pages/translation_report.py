"""*Berichte → Übersetzungen*: every published German item in every further language,
with its translation's state (docs/languages.md, "The report").

The rows are built from a fixed number of queries, whatever the number of items and
languages: the German items, the locales, their translations, the outdated states and
wagtail-localize's segment counts, each in one query.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Locale, Page

import django_filters  # type: ignore[import-untyped]
from wagtail_localize.models import StringSegment, TranslationSource

from . import sections
from .models import TranslationState

MISSING = "missing"
OUTDATED = "outdated"
CURRENT = "current"
DRAFT = "draft"
STATES = {
    MISSING: "fehlt",
    OUTDATED: "veraltet",
    CURRENT: "aktuell",
    DRAFT: "Entwurf",
}
"""A translation's state in the report, in the order of its filter."""

INDEX_URL_NAME = "hub_translation_report"
RESULTS_URL_NAME = "hub_translation_report_results"


@dataclass(frozen=True, slots=True)
class TranslationRow:
    """One German item in one language."""

    page_id: int
    title: str
    section: str
    language: str
    language_code: str
    state: str
    translated_segments: int | None
    total_segments: int | None
    german_changed_at: dt.datetime | None
    translation_id: int | None

    @property
    def state_label(self) -> str:
        return STATES[self.state]

    @property
    def progress(self) -> str:
        if self.translation_id is None or not self.total_segments:
            return ""
        return f"{self.translated_segments} von {self.total_segments}"

    @property
    def german_changed(self) -> str:
        return _german_datetime(self.german_changed_at)

    @property
    def edit_url(self) -> str:
        return reverse(
            "wagtailadmin_pages:edit", args=[self.translation_id or self.page_id]
        )


def _german_datetime(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    return date_format(timezone.localtime(value), "d.m.Y H:i")


def _local_naive(value: dt.datetime | None) -> dt.datetime | None:
    """A spreadsheet cell has no time zone: the time as read in the office."""
    return timezone.make_naive(value) if value is not None else None


def translation_locales(german: Locale | None = None) -> list[Locale]:
    """The languages translated into, in the order of `WAGTAIL_CONTENT_LANGUAGES`."""
    order = {code: i for i, (code, _) in enumerate(settings.WAGTAIL_CONTENT_LANGUAGES)}
    locales = Locale.objects.exclude(pk=(german or Locale.get_default()).pk)
    return sorted(locales, key=lambda locale: order.get(locale.language_code, 99))


def translation_rows(
    *,
    language: str = "",
    state: str = "",
    section: str = "",
) -> list[TranslationRow]:
    """Rows of the report, ordered by section, title and language, filtered by language
    tag, state (`STATES`) and section name."""
    german_locale = Locale.get_default()
    locales = [
        locale
        for locale in translation_locales(german_locale)
        if not language or locale.language_code == language
    ]
    chosen = [s for s in sections.SECTIONS if not section or s.name == section]
    section_of_type = {_content_type(s).pk: s for s in chosen}
    german = Page.objects.filter(
        locale=german_locale, live=True, content_type_id__in=list(section_of_type)
    )
    items = list(
        german.order_by("title", "pk").values(
            "pk", "title", "translation_key", "content_type_id", "last_published_at"
        )
    )
    if not items or not locales:
        return []
    keys = german.values("translation_key")
    translations = {
        (row["translation_key"], row["locale_id"]): row
        for row in Page.objects.filter(
            translation_key__in=keys, locale_id__in=[loc.pk for loc in locales]
        )
        .filter(alias_of=None)
        .values("pk", "translation_key", "locale_id", "live")
    }
    outdated = set(
        TranslationState.objects.outdated()
        .filter(page__in=german)
        .values_list("page_id", "locale_id")
    )
    totals, translated = _progress(keys, german_locale)
    order = {s.name: i for i, s in enumerate(sections.SECTIONS)}
    items.sort(key=lambda item: order[section_of_type[item["content_type_id"]].name])
    rows = []
    for item in items:
        key = item["translation_key"]
        for locale in locales:
            translation = translations.get((key, locale.pk))
            row_state = _state(translation, (item["pk"], locale.pk) in outdated)
            if state and row_state != state:
                continue
            rows.append(
                TranslationRow(
                    page_id=item["pk"],
                    title=item["title"],
                    section=section_of_type[item["content_type_id"]].title,
                    language=locale.get_display_name(),
                    language_code=locale.language_code,
                    state=row_state,
                    translated_segments=translated.get((key, locale.pk), 0),
                    total_segments=totals.get(key),
                    german_changed_at=item["last_published_at"],
                    translation_id=translation["pk"] if translation else None,
                )
            )
    return rows


def _content_type(section: sections.Section) -> ContentType:
    return ContentType.objects.get_for_model(section.page_model)


def _state(translation: dict[str, Any] | None, is_outdated: bool) -> str:
    if translation is None:
        return MISSING
    if not translation["live"]:
        return DRAFT
    return OUTDATED if is_outdated else CURRENT


def _progress(
    keys: Iterable[Any], german_locale: Locale
) -> tuple[dict[Any, int], dict[tuple[Any, int], int]]:
    """wagtail-localize's counts: segments per German item, and those translated per
    item and locale (its `Translation.get_progress`, for all items at once)."""
    sources = TranslationSource.objects.filter(object_id__in=keys, locale=german_locale)
    totals = {
        row["source__object_id"]: row["total"]
        for row in StringSegment.objects.filter(source__in=sources)
        .values("source__object_id")
        .annotate(total=Count("pk"))
    }
    translated = {
        (row["source__object_id"], row["string__translations__locale_id"]): row["done"]
        for row in StringSegment.objects.filter(
            source__in=sources,
            string__translations__context_id=F("context_id"),
            string__translations__has_error=False,
        )
        .values("source__object_id", "string__translations__locale_id")
        .annotate(done=Count("pk", distinct=True))
    }
    return totals, translated


class TranslationReportFilterSet(WagtailFilterSet):
    language = django_filters.ChoiceFilter(label="Sprache", empty_label="Alle Sprachen")
    state = django_filters.ChoiceFilter(
        label="Stand",
        choices=list(STATES.items()),
        empty_label="Alle Stände",
    )
    section = django_filters.ChoiceFilter(
        label="Bereich",
        choices=[(s.name, s.title) for s in sections.SECTIONS],
        empty_label="Alle Bereiche",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["language"].extra["choices"] = [
            (locale.language_code, locale.get_display_name())
            for locale in translation_locales()
        ]
        self.filters.pop("locale", None)

    class Meta:
        model = Page
        fields: list[str] = []


class TranslationReportView(ReportView):
    """One row per published German item and further language."""

    page_title = "Übersetzungen"
    header_icon = "globe"
    template_name = "pages/admin/translation_report.html"
    results_template_name = "pages/admin/translation_report_results.html"
    index_url_name = INDEX_URL_NAME
    index_results_url_name = RESULTS_URL_NAME
    filterset_class = TranslationReportFilterSet
    paginate_by = 100
    verbose_name = "Übersetzung"
    verbose_name_plural = "Übersetzungen"
    columns = [
        TitleColumn(
            "title", label="Titel", get_url=lambda row: row.edit_url, width="32%"
        ),
        Column("section", label="Bereich"),
        Column("language", label="Sprache"),
        Column("state_label", label="Stand"),
        Column("progress", label="Übersetzte Abschnitte"),
        Column("german_changed", label="Deutsch zuletzt veröffentlicht"),
    ]
    list_export = [
        "title",
        "section",
        "language",
        "language_code",
        "state_label",
        "translated_segments",
        "total_segments",
        "german_changed_at",
    ]
    export_headings = {
        "title": "Titel",
        "section": "Bereich",
        "language": "Sprache",
        "language_code": "Sprachkürzel",
        "state_label": "Stand",
        "translated_segments": "Übersetzte Abschnitte",
        "total_segments": "Abschnitte insgesamt",
        "german_changed_at": "Deutsch zuletzt veröffentlicht",
    }

    custom_field_preprocess = {
        "german_changed_at": {
            ReportView.FORMAT_CSV: _german_datetime,
            ReportView.FORMAT_XLSX: _local_naive,
        }
    }

    def get_filterset_kwargs(self) -> dict[str, Any]:
        return {**super().get_filterset_kwargs(), "queryset": Page.objects.none()}

    def get_queryset(self) -> list[TranslationRow]:
        chosen: dict[str, str] = {}
        if self.filters is not None and self.filters.is_valid():
            chosen = {
                name: value
                for name, value in self.filters.form.cleaned_data.items()
                if name in ("language", "state", "section") and value
            }
        return translation_rows(**chosen)

    def filter_queryset(self, queryset: Any) -> Any:
        """The rows are filtered while they are built (`get_queryset`)."""
        return queryset

    def get_filename(self) -> str:
        return f"uebersetzungen-{timezone.localdate():%Y-%m-%d}"

    def to_row_dict(self, item: TranslationRow) -> dict[str, Any]:
        row: dict[str, Any] = super().to_row_dict(item)
        if item.translation_id is None or not item.total_segments:
            row["translated_segments"] = row["total_segments"] = None
        return row
