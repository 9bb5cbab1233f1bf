"""The language trees: the home page and the section indexes in every language.

Translated pages live in a tree per language beside the German one (`/ar/…` is the
Arabic home's subtree, docs/languages.md). A translation of an event needs its
events index translated first; wagtail-localize's "Übersetzen" would otherwise copy the
home page and the index as live aliases, German text under `/ar/`. So every language
gets its home and four indexes up front, with their titles in that language
(`TREE_TITLES`) and nothing else German: an untranslated introduction is left empty.
A language without titles here gets its tree as drafts, for the office to title and
publish. City editors' page permissions on the German events index are granted on each
translated events index too.

Also here: which translations of a page the public may see (`page_languages`), one set
that every member of a translation group shares (alternates and language switcher).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.http import HttpRequest

from wagtail.models import GroupPagePermission, Locale, Page, Site

from hub import languages

from .models import (
    EventIndexPage,
    HomePage,
    NewsletterIndexPage,
    PressIndexPage,
    ProgrammeIndexPage,
)
from .queries import all_pages, forget_default_site_root_path

TREE_TITLES: dict[str, dict[type[Page], str]] = {
    "de-x-ls": {
        HomePage: "Kommunales Integrations-Zentrum Ennepe-Ruhr-Kreis",
        ProgrammeIndexPage: "Programme",
        EventIndexPage: "Veranstaltungen",
        PressIndexPage: "Presse-Mitteilungen",
        NewsletterIndexPage: "Newsletter",
    },
    "en": {
        HomePage: "Municipal Integration Centre of the Ennepe-Ruhr District",
        ProgrammeIndexPage: "Programmes",
        EventIndexPage: "Events",
        PressIndexPage: "Press releases",
        NewsletterIndexPage: "Newsletter",
    },
    "ar": {
        HomePage: "المركز البلدي للاندماج في دائرة إنيبه-رور",
        ProgrammeIndexPage: "البرامج",
        EventIndexPage: "الفعاليات",
        PressIndexPage: "البيانات الصحفية",
        NewsletterIndexPage: "النشرة الإخبارية",
    },
    "uk": {
        HomePage: "Комунальний інтеграційний центр округу Еннепе-Рур",
        ProgrammeIndexPage: "Програми",
        EventIndexPage: "Заходи",
        PressIndexPage: "Пресрелізи",
        NewsletterIndexPage: "Інформаційний бюлетень",
    },
    "tr": {
        HomePage: "Ennepe-Ruhr İlçesi Belediye Uyum Merkezi",
        ProgrammeIndexPage: "Programlar",
        EventIndexPage: "Etkinlikler",
        PressIndexPage: "Basın bültenleri",
        NewsletterIndexPage: "Bülten",
    },
    "fa": {
        HomePage: "مرکز شهری ادغام منطقه انپه-رور",
        ProgrammeIndexPage: "برنامه‌ها",
        EventIndexPage: "رویدادها",
        PressIndexPage: "اطلاعیه‌های مطبوعاتی",
        NewsletterIndexPage: "خبرنامه",
    },
    "ru": {
        HomePage: "Муниципальный интеграционный центр округа Эннепе-Рур",
        ProgrammeIndexPage: "Программы",
        EventIndexPage: "Мероприятия",
        PressIndexPage: "Пресс-релизы",
        NewsletterIndexPage: "Информационный бюллетень",
    },
}
"""The titles of the tree pages per language; the German source page's other text
(introduction, SEO title and description) is left empty until the office writes it."""

UNTRANSLATED_TEXT = ("intro", "seo_title", "search_description")


def german_site_root() -> Page | None:
    """The default site's root: the German home page."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    return site.root_page.specific if site else None


@transaction.atomic
def ensure_language_tree(locale: Locale) -> list[Page]:
    """Translates the German home and section indexes into `locale` where they are
    missing, live aliases (German text) or German copies; returns the pages it changed.

    Pages an editor has already given their own title are left as they are. With a
    title from `TREE_TITLES` a page is published; without one it stays a draft.
    """
    home = german_site_root()
    if home is None or home.locale_id == locale.pk:
        return []
    titles = TREE_TITLES.get(locale.language_code, {})
    changed = [
        page
        for german in [home, *home.get_children().specific().order_by("path")]
        if (page := _ensure_translation(german, locale, titles.get(type(german))))
    ]
    _grant_editors_in_language_tree(home, locale)
    forget_default_site_root_path()
    return changed


def ensure_language_trees() -> dict[str, list[Page]]:
    """`ensure_language_tree` for every language but German."""
    default = Locale.get_default()
    return {
        locale.language_code: ensure_language_tree(locale)
        for locale in Locale.objects.exclude(pk=default.pk).order_by("language_code")
    }


def _ensure_translation(german: Page, locale: Locale, title: str | None) -> Page | None:
    existing = german.get_translation_or_none(locale)
    if existing is not None:
        existing = existing.specific
        titled_in_german = title not in (None, existing.title) and (
            existing.title == german.title
        )
        if not existing.alias_of_id and not titled_in_german:
            return None
        if existing.alias_of_id:
            existing.alias_of_id = None
            existing.save(update_fields=["alias_of_id"], clean=False)
        page = existing
    else:
        page = german.copy_for_translation(locale).specific
    for name in UNTRANSLATED_TEXT:
        if hasattr(page, name) and getattr(german, name):
            setattr(page, name, "")
    if title:
        page.title = title
        page.draft_title = title
        page.save_revision().publish()
    else:
        page.save_revision()
        if page.live:
            page.unpublish()
    return page


def _grant_editors_in_language_tree(home: Page, locale: Locale) -> None:
    """Groups with page permissions on the German home or an index (the office, city
    editors on the events index) get the same on its translation, so they can edit the
    translations below it."""
    for german in [home, *home.get_children()]:
        translated = german.get_translation_or_none(locale)
        if translated is None:
            continue
        for grant in GroupPagePermission.objects.filter(page=german):
            GroupPagePermission.objects.get_or_create(
                group_id=grant.group_id,
                page=translated,
                permission_id=grant.permission_id,
            )


def build_tree_for_new_locale(
    sender: type[Locale], instance: Locale, created: bool, raw: bool = False, **_: Any
) -> None:
    """A language added in the admin gets its tree at once (never German copies)."""
    if created and not raw:
        transaction.on_commit(lambda: ensure_language_tree(instance))


def connect() -> None:
    post_save.connect(
        build_tree_for_new_locale, sender=Locale, dispatch_uid="hub-language-tree"
    )


@dataclass(frozen=True, slots=True)
class PageLanguage:
    """One published language version of a page, for alternates and the switcher."""

    language: languages.Language
    url: str
    is_current: bool


def language_of(page: Page | None) -> languages.Language:
    """The language of `page`'s text (German for anything the table does not know)."""
    if page is None:
        return languages.source()
    try:
        return languages.by_tag(page.locale.language_code)
    except languages.UnknownLanguage:
        return languages.source()


def page_languages(page: Page, request: HttpRequest | None) -> list[PageLanguage]:
    """Every version of `page` the public may see, German first, in table order.

    The same set for every member of the translation group (the German page and each
    translation), so alternates are reciprocal; empty when there is nothing to switch
    to. One query: the visible members of the group with their locale.
    """
    members: Iterable[Page] = (
        all_pages()
        .visible()
        .filter(translation_key=page.translation_key)
        .select_related("locale")
    )
    by_tag: dict[str, Page] = {}
    for member in members:
        language = language_of(member)
        if member.locale.language_code == language.tag:
            by_tag[language.tag] = member
    if len(by_tag) < 2 or languages.source().tag not in by_tag:
        return []
    return [
        PageLanguage(
            language=language,
            url=by_tag[language.tag].get_full_url(request),
            is_current=by_tag[language.tag].pk == page.pk,
        )
        for language in languages.DEFAULT_LANGUAGES
        if language.tag in by_tag
    ]
