"""Translations in the admin: the „Geringfügige Änderung“ publish action and the report
*Berichte → Übersetzungen* (docs/languages.md)."""

from typing import Any

from django.http import HttpRequest
from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem, PublishMenuItem
from wagtail.admin.menu import MenuItem
from wagtail.models import Locale, Page

from . import translation_report
from .translation_signals import MINOR_CHANGE, record_minor_change

MINOR_CHANGE_LABEL = "Geringfügige Änderung (Übersetzungen bleiben aktuell)"
MINOR_CHANGE_HELP = (
    "Veröffentlicht die Änderung, ohne die Übersetzungen als veraltet zu markieren. "
    "Nur für Korrekturen, die den Sinn nicht ändern, etwa Tippfehler: Die Korrektur "
    "erscheint dann nur auf Deutsch."
)


def has_translations(page: Page) -> bool:
    """Whether `page` is a German page with a translation into any language."""
    german = Locale.get_default()
    return (
        page.pk is not None
        and page.locale_id == german.pk
        and Page.objects.filter(translation_key=page.translation_key, alias_of=None)
        .exclude(locale_id=german.pk)
        .exists()
    )


class MinorChangePublishMenuItem(ActionMenuItem):
    """Publish like Wagtail's „Veröffentlichen“; the translations stay current."""

    label = f"Veröffentlichen: {MINOR_CHANGE_LABEL}"
    name = "action-publish"
    template_name = "pages/admin/minor_change_publish.html"
    icon_name = "upload"

    def get_context_data(self, parent_context: dict[str, Any]) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(parent_context)
        context["value"] = MINOR_CHANGE
        context["help_text"] = MINOR_CHANGE_HELP
        return context


@hooks.register("construct_page_action_menu")
def offer_minor_change(
    menu_items: list[ActionMenuItem], request: HttpRequest, context: dict[str, Any]
) -> None:
    """Right after „Veröffentlichen“, on German pages that have translations: only
    there does publishing mark anything outdated."""
    if context.get("view") != "edit":
        return
    for position, item in enumerate(menu_items):
        if isinstance(item, PublishMenuItem) and has_translations(context["page"]):
            menu_items.insert(position + 1, MinorChangePublishMenuItem())
            return


@hooks.register("before_publish_page")
def remember_minor_change(request: HttpRequest, page: Page) -> None:
    """The revision just saved is published next: record the editor's choice on it."""
    if request.POST.get("action-publish") == MINOR_CHANGE and page.latest_revision_id:
        record_minor_change(page.latest_revision)


class TranslationReportMenuItem(MenuItem):
    pass


@hooks.register("register_reports_menu_item")
def register_translation_report_menu_item() -> MenuItem:
    return TranslationReportMenuItem(
        "Übersetzungen",
        reverse(translation_report.INDEX_URL_NAME),
        name="translations",
        icon_name="globe",
        order=750,
    )


@hooks.register("register_admin_urls")
def register_translation_report_urls() -> list[Any]:
    view = translation_report.TranslationReportView
    return [
        path(
            "berichte/uebersetzungen/",
            view.as_view(),
            name=translation_report.INDEX_URL_NAME,
        ),
        path(
            "berichte/uebersetzungen/ergebnisse/",
            view.as_view(results_only=True),
            name=translation_report.RESULTS_URL_NAME,
        ),
    ]
