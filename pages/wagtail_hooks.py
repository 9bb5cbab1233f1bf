from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import models
from django.db.models import Min
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils import translation
from django.utils.formats import date_format
from django.utils.timezone import localtime

from wagtail import hooks
from wagtail.admin.action_menu import SubmitForModerationMenuItem
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.ui.tables import Column
from wagtail.admin.ui.tables.pages import (
    BulkActionsColumn,
    PageStatusColumn,
    PageTitleColumn,
)
from wagtail.admin.views.pages.listing import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.models import Locale, TranslatableMixin
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import (
    BaseSnippetChooseView,
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
)
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import (
    admin_next_edition,
    dashboard,
    listing,
    locales,
    translation_admin,  # noqa: F401 - registers the translation hooks
)
from .models import CityEditorGroup, EventPage, NewsletterIssuePage, PressReleasePage
from .models.home import HOME_CONTEXT_HOOK
from .models.indexes import INDEX_CONTEXT_HOOK
from .queries import all_pages
from .rich_text import EMBED_HANDLERS, LINK_HANDLERS
from .slugs import GermanSlugInput
from .snippets import (
    City,
    ContactPerson,
    StatusWording,
    TargetGroup,
    Taxonomy,
    Topic,
    Venue,
)


class FixedRowsPermissionPolicy(ModelPermissionPolicy):
    """Rows that follow a vocabulary of the code: editors change and translate them
    (wagtail-localize's „Übersetzen“), nobody adds or deletes one in the admin."""

    def user_has_permission(self, user, action):
        if action in ("add", "delete"):
            return False
        return super().user_has_permission(user, action)


# Before the snippet registration below asks for the policy.
register_permission_policy(StatusWording, FixedRowsPermissionPolicy(StatusWording))


class GermanEntriesMixin(BaseSnippetChooseView):
    """Pages link to German directory entries only: a chooser lists no translations
    (they are edited through „Übersetzen“), so it needs no language filter either."""

    i18n_enabled = False

    def get_object_list(self):
        objects = super().get_object_list()
        if issubclass(self.model_class, TranslatableMixin):
            # By id, not language code: the search backend filters on own fields only.
            return objects.filter(locale=Locale.get_default())
        return objects


class GermanChooseView(GermanEntriesMixin, ChooseView):
    """The chooser's heading reads „Veranstaltungsort auswählen“, not „Auswählen
    Veranstaltungsort“ (Wagtail's title "Choose" with the model as subtitle)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_title"] = f"{self.model._meta.verbose_name} auswählen"
        context["page_subtitle"] = None
        return context


class GermanChooseResultsView(GermanEntriesMixin, ChooseResultsView):
    """Search and further pages of the chooser: German entries, like its first page."""


class GermanSnippetChooserViewSet(SnippetChooserViewSet):
    choose_view_class = GermanChooseView
    choose_results_view_class = GermanChooseResultsView

    def on_register(self):
        super().on_register()
        if issubclass(self.model, TranslatableMixin):
            # A form takes only what the chooser offers: a German entry.
            register_form_field_override(
                models.ForeignKey,
                to=self.model,
                override={
                    "widget": self.widget_class,
                    "queryset": self.model._default_manager.german(),
                },
            )


def german_choices(db_field):
    """Check-box lists of cities, target groups and topics (pages, webhooks, calendar
    imports) offer the German entries, which is what content links to."""
    related: Any = db_field.related_model
    if issubclass(related, TranslatableMixin):
        return {"queryset": related._default_manager.german()}
    return {}


register_form_field_override(models.ManyToManyField, override=german_choices)


class TaxonomyViewSet(SnippetViewSet):
    chooser_viewset_class = GermanSnippetChooserViewSet
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name", "slug"]
    ordering = ["sort_order", "name"]


class CityViewSet(TaxonomyViewSet):
    model = City
    icon = "site"


class TargetGroupViewSet(TaxonomyViewSet):
    model = TargetGroup
    icon = "group"


class TopicViewSet(TaxonomyViewSet):
    model = Topic
    icon = "tag"


class ContactPersonViewSet(SnippetViewSet):
    model = ContactPerson
    chooser_viewset_class = GermanSnippetChooserViewSet
    icon = "user"
    list_display = ["name", "role", "phone", "email"]
    search_fields = ["name", "role", "email"]


class VenueViewSet(SnippetViewSet):
    model = Venue
    chooser_viewset_class = GermanSnippetChooserViewSet
    icon = "home"
    list_display = ["name", "street", "town", "city"]
    list_filter = ["city"]
    search_fields = ["name", "street", "town"]


class StatusWordingViewSet(SnippetViewSet):
    """The wording of the seven statuses; German rows come from a migration."""

    model = StatusWording
    icon = "info-circle"
    menu_label = "Statusbezeichnungen"
    list_display = ["wording", "status"]
    search_fields = ["wording"]


class DirectoryGroup(SnippetViewSetGroup):
    menu_label = "Verzeichnisse"
    menu_icon = "folder-open-inverse"
    menu_order = 300
    items = (
        CityViewSet,
        TargetGroupViewSet,
        TopicViewSet,
        ContactPersonViewSet,
        VenueViewSet,
        StatusWordingViewSet,
    )


register_snippet(DirectoryGroup)


class EventIndexView(IndexView):
    """Adds each event's first date, so editors see when it happens without opening it."""

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .annotate(first_start=Min("occurrences__starts_at"))
            .select_related("city")
        )

    default_ordering = "-first_start"

    def get_valid_orderings(self):
        return [*super().get_valid_orderings(), "first_start", "-first_start"]


class EventListingViewSet(PageListingViewSet):
    """A flat list of every event with its date, status and city, filterable by both."""

    model = EventPage
    index_view_class = EventIndexView
    icon = "date"
    menu_label = "Veranstaltungen"
    menu_order = 150
    add_to_admin_menu = True
    list_filter = ["status", "city"]
    columns = [
        BulkActionsColumn("bulk_actions"),
        PageTitleColumn("title", label="Titel", sort_key="title", classname="title"),
        Column(
            "first_start",
            label="Erster Termin",
            sort_key="first_start",
            accessor=lambda page: (
                date_format(localtime(page.first_start), "d.m.Y")
                if page.first_start
                else "–"
            ),
            width="14%",
        ),
        Column("event_status", label="Status", accessor="status_label", width="16%"),
        Column("city", label="Stadt", width="12%"),
        PageStatusColumn(
            "status", label="Veröffentlichung", sort_key="live", width="12%"
        ),
    ]


event_listing_viewset = EventListingViewSet("events")


def _german_date(field: str):
    return lambda page: date_format(getattr(page, field), "d.m.Y")


class PressListingViewSet(PageListingViewSet):
    """Press releases, newest press date first."""

    model = PressReleasePage
    icon = "doc-full"
    menu_label = "Presse"
    menu_order = 160
    add_to_admin_menu = True
    columns = [
        BulkActionsColumn("bulk_actions"),
        PageTitleColumn("title", label="Titel", sort_key="title", classname="title"),
        Column(
            "date",
            label="Datum",
            sort_key="date",
            accessor=_german_date("date"),
            width="14%",
        ),
        Column("source", label="Quelle", width="22%"),
        PageStatusColumn(
            "status", label="Veröffentlichung", sort_key="live", width="12%"
        ),
    ]

    class index_view_class(IndexView):
        default_ordering = "-date"

        def get_valid_orderings(self):
            return [*super().get_valid_orderings(), "date", "-date"]


class NewsletterListingViewSet(PageListingViewSet):
    """Newsletter issues, newest first, with their issue and date."""

    model = NewsletterIssuePage
    icon = "mail"
    menu_label = "Newsletter"
    menu_order = 170
    add_to_admin_menu = True
    columns = [
        BulkActionsColumn("bulk_actions"),
        PageTitleColumn("title", label="Titel", sort_key="title", classname="title"),
        Column("issue", label="Ausgabe", width="12%"),
        Column(
            "date",
            label="Erscheinungsdatum",
            sort_key="date",
            accessor=_german_date("date"),
            width="16%",
        ),
        PageStatusColumn(
            "status", label="Veröffentlichung", sort_key="live", width="12%"
        ),
    ]

    class index_view_class(IndexView):
        default_ordering = "-date"

        def get_valid_orderings(self):
            return [*super().get_valid_orderings(), "date", "-date"]


@hooks.register("register_admin_viewset")
def register_event_listing():
    return event_listing_viewset


@hooks.register("register_admin_viewset")
def register_press_and_newsletter_listings():
    return [PressListingViewSet("press"), NewsletterListingViewSet("newsletters")]


# The slug field fills itself from the title with ä → ae, ß → ss (pages/slugs.py).
register_form_field_override(models.SlugField, override={"widget": GermanSlugInput})


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def warn_cancelled_event_with_registration(request, page):
    """Saving goes through; the editor is told that readers are still asked to register."""
    specific = page.specific_deferred if not isinstance(page, EventPage) else page
    if isinstance(specific, EventPage) and specific.cancelled_but_asks_for_registration:
        messages.warning(
            request,
            f"„{specific.title}“ ist abgesagt, fragt aber noch nach einer Anmeldung. "
            "Entfernen Sie unter „Zielgruppe & Anmeldung“ die Angaben zur Anmeldung, "
            "damit niemand sich für eine ausfallende Veranstaltung anmeldet.",
        )


@hooks.register("before_delete_snippet")
def refuse_deleting_terms_in_use(request, instances):
    """Taxonomy terms are linked many-to-many; deleting one in use would silently drop it."""
    in_use = [
        obj for obj in instances if isinstance(obj, Taxonomy) and obj.usage_count()
    ]
    if not in_use:
        return None
    names = ", ".join(f"„{obj}“" for obj in in_use)
    messages.error(
        request,
        f"{names} kann nicht gelöscht werden, weil es noch von Inhalten verwendet wird. "
        "Entfernen Sie die Zuordnung zuerst dort (siehe „Verwendung“).",
    )
    opts = in_use[0]._meta
    return redirect(f"wagtailsnippets_{opts.app_label}_{opts.model_name}:list")


@hooks.register("before_serve_page")
def refuse_unpublished_pages(page, request, serve_args, serve_kwargs):
    """Wagtail serves any `live` page of the site matching the Host header; we serve only
    pages the one visibility rule publishes (expired or not yet gone live pages whose
    `live` flag the scheduler hasn't flipped yet, other sites' pages: 404). View
    restrictions are left to Wagtail's password/login form, which shows no content.
    """
    if not all_pages().published().filter(pk=page.pk).exists():
        raise Http404
    language = translation.get_language()
    if language != settings.LANGUAGE_CODE and (
        page.locale.language_code != language
        or language not in {offered.tag for offered in locales.available()}
    ):
        # `/ar/…` routes through Wagtail's `localized` tree, which falls back to the
        # German page where no Arabic one exists: German text under an Arabic URL.
        raise Http404
    german = Locale.get_default()
    if page.locale_id != german.pk:
        # A translation is as private as its German page (wagtail-localize copies the
        # restrictions only when it translates).
        source = page.get_translation_or_none(german)
        if source is None or any(
            not restriction.accept_request(request)
            for restriction in source.get_view_restrictions()
        ):
            raise Http404


hooks.register(INDEX_CONTEXT_HOOK, listing.index_context)
hooks.register(HOME_CONTEXT_HOOK, listing.home_context)


@hooks.register("register_rich_text_features", order=100)
def register_public_link_handlers(features):
    """Rich text links documents and pages, and embeds images, only where the public may
    see them; `order` runs this after Wagtail's own registrations, which it replaces."""
    for handler in LINK_HANDLERS.values():
        features.register_link_type(handler)
    for embed_handler in EMBED_HANDLERS.values():
        features.register_embed_type(embed_handler)


hooks.register("construct_homepage_panels", dashboard.add_panels)


class SubmitForReviewMenuItem(SubmitForModerationMenuItem):
    """Says "Zur Freigabe durch die Redaktion einreichen", not Wagtail's "In … einreichen"."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        page = context.get("page")
        state = page.current_workflow_state if page else None
        if state and state.status == state.STATUS_NEEDS_CHANGES:
            context["label"] = (
                f"Erneut zur {state.current_task_state.task.name} einreichen"
            )
            return context
        workflow = (page if page and page.pk else context["parent_page"]).get_workflow()
        if workflow:
            context["label"] = f"Zur {workflow.name} einreichen"
        return context


@hooks.register("construct_page_action_menu")
def name_the_review_in_german(menu_items, request, context):
    for position, item in enumerate(menu_items):
        if type(item) is SubmitForModerationMenuItem:
            menu_items[position] = SubmitForReviewMenuItem(order=item.order)


class CityEditorGroupViewSet(ModelViewSet):
    """Which group edits which city's events (docs/editing.md); for administrators."""

    model = CityEditorGroup
    icon = "group"
    menu_label = "Stadtredaktionen"
    add_to_settings_menu = True
    form_fields = ["group", "city"]
    list_display = ["group", "city"]


@hooks.register("register_admin_viewset")
def register_city_editor_groups():
    return CityEditorGroupViewSet("stadtredaktionen")


hooks.register(
    "register_page_listing_more_buttons", admin_next_edition.listing_more_buttons
)
hooks.register("register_page_header_buttons", admin_next_edition.header_buttons)


@hooks.register("register_admin_urls")
def register_next_edition_url():
    return [
        path(
            "veranstaltungen/<int:pk>/naechste-ausgabe/",
            admin_next_edition.NextEditionView.as_view(),
            name=admin_next_edition.URL_NAME,
        )
    ]
