"""The one place that decides what the public may see, used by every public surface."""

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Length, Substr
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.models import (
    CollectionViewRestriction,
    Page,
    PageManager,
    PageViewRestriction,
    Site,
)
from wagtail.query import PageQuerySet


def _prefix_of_outer_path(path_field: str) -> dict:
    """Annotation matching rows whose `path_field` is a prefix of the outer page's path."""
    return {"outer_prefix": Substr(OuterRef("path"), 1, Length(path_field))}


class HubPageQuerySet(PageQuerySet):
    def published(self) -> "HubPageQuerySet":
        """Live, gone live, not expired, and part of the default site; may be restricted.

        Expiry and go-live are checked here rather than trusting `live`, so a page vanishes
        at `expire_at` even before `publish_scheduled` has run.
        """
        now = timezone.now()
        on_default_site = (
            Site.objects.filter(is_default_site=True)
            .annotate(**_prefix_of_outer_path("root_page__path"))
            .filter(root_page__path=F("outer_prefix"))
            .values("pk")
        )
        return self.filter(
            Q(go_live_at__isnull=True) | Q(go_live_at__lte=now),
            Q(expire_at__isnull=True) | Q(expire_at__gt=now),
            Exists(on_default_site),
            live=True,
        )

    def visible(self) -> "HubPageQuerySet":
        """Published, and no view restriction on the page or any ancestor.

        Both checks are subqueries, not extra queries.
        """
        restricted = (
            PageViewRestriction.objects.annotate(**_prefix_of_outer_path("page__path"))
            .filter(page__path=F("outer_prefix"))
            .values("pk")
        )
        return self.published().exclude(Exists(restricted))


def all_pages() -> HubPageQuerySet:
    """Every page of any type, for `published()`/`visible()` outside a content model."""
    return HubPageQuerySet(Page)


HubPageManager = PageManager.from_queryset(HubPageQuerySet)


def restricted_collection(collection: str = "collection") -> Exists:
    """True when the row's collection, or an ancestor collection, has a view restriction.

    `collection` is the path from the queried model to its collection (e.g.
    "image__collection" on a page), so it works as a filter or an annotation.
    """
    return Exists(
        CollectionViewRestriction.objects.annotate(
            outer_prefix=Substr(
                OuterRef(f"{collection}__path"), 1, Length("collection__path")
            )
        )
        .filter(collection__path=F("outer_prefix"))
        .values("pk")
    )


def in_public_collections(
    queryset: QuerySet, collection: str = "collection"
) -> QuerySet:
    """Documents or images whose collection and every ancestor collection is unrestricted."""
    return queryset.exclude(restricted_collection(collection))


def public_documents() -> QuerySet:
    """Documents outside any view-restricted collection, or any collection below one.

    Wagtail's document view asks for the password or login, but titles, sizes and links
    of such documents must not be listed publicly either.
    """
    return in_public_collections(get_document_model().objects.all())


def public_attachments(attachments: QuerySet) -> QuerySet:
    """Attachment rows that are external links or link a public document."""
    return attachments.filter(
        Q(document__isnull=True) | Q(document__in=public_documents().values("pk"))
    )


def is_public_document(document) -> bool:
    return document is not None and public_documents().filter(pk=document.pk).exists()
