from django.contrib import messages
from django.db.models import Min
from django.http import Http404
from django.shortcuts import redirect
from django.utils.formats import date_format
from django.utils.timezone import localtime

from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.ui.tables.pages import (
    BulkActionsColumn,
    PageStatusColumn,
    PageTitleColumn,
)
from wagtail.admin.views.pages.listing import IndexView
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import listing
from .models import EventPage
from .models.indexes import INDEX_CONTEXT_HOOK
from .queries import all_pages
from .rich_text import EMBED_HANDLERS, LINK_HANDLERS
from .snippets import City, ContactPerson, TargetGroup, Taxonomy, Topic, Venue


class TaxonomyViewSet(SnippetViewSet):
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
    icon = "user"
    list_display = ["name", "role", "phone", "email"]
    search_fields = ["name", "role", "email"]


class VenueViewSet(SnippetViewSet):
    model = Venue
    icon = "home"
    list_display = ["name", "street", "town", "city"]
    list_filter = ["city"]
    search_fields = ["name", "street", "town"]


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


@hooks.register("register_admin_viewset")
def register_event_listing():
    return event_listing_viewset


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


hooks.register(INDEX_CONTEXT_HOOK, listing.index_context)


@hooks.register("register_rich_text_features", order=100)
def register_public_link_handlers(features):
    """Rich text links documents and pages, and embeds images, only where the public may
    see them; `order` runs this after Wagtail's own registrations, which it replaces."""
    for handler in LINK_HANDLERS.values():
        features.register_link_type(handler)
    for embed_handler in EMBED_HANDLERS.values():
        features.register_embed_type(embed_handler)
