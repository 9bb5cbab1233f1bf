"""The one place that decides what the public may see, used by every public surface."""

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Length, Substr
from django.utils import timezone

from wagtail.models import (
    CollectionViewRestriction,
    PageManager,
    PageViewRestriction,
    Site,
)
from wagtail.query import PageQuerySet


def _prefix_of_outer_path(path_field: str) -> dict:
    """Annotation matching rows whose `path_field` is a prefix of the outer page's path."""
    return {"outer_prefix": Substr(OuterRef("path"), 1, Length(path_field))}


class HubPageQuerySet(PageQuerySet):
    def visible(self) -> "HubPageQuerySet":
        """Live, gone live, not expired, public, and part of the default site.

        Expiry and go-live are checked here rather than trusting `live`, so a page vanishes
        at `expire_at` even before `publish_scheduled` has run. A view restriction on the
        page or any ancestor hides it; both checks are subqueries, not extra queries.
        """
        now = timezone.now()
        restricted = (
            PageViewRestriction.objects.annotate(**_prefix_of_outer_path("page__path"))
            .filter(page__path=F("outer_prefix"))
            .values("pk")
        )
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
        ).exclude(Exists(restricted))


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
