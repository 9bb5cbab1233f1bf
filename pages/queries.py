"""The one place that decides which pages the public may see, used by every public surface.

Which documents and images the public may see is decided in `pages.media`.
"""

import datetime as dt
from typing import TYPE_CHECKING, Any, Self

from django.core.cache import cache
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.utils import timezone

from wagtail.models import (
    Page,
    PageManager,
    PageViewRestriction,
    Site,
)
from wagtail.query import PageQuerySet

DEFAULT_SITE_ROOT_KEY = "hub:default-site-root-path"
DEFAULT_SITE_ROOT_TIMEOUT = 300
NEAR_ANCESTOR_LEVELS = 2
"""Tree levels, from the site root down, whose pages are looked up by path for every row
(index lookups); ancestors deeper than that are found by a scan, only for rows that
deep. The hub's items sit two levels below the site root, so their ancestors are the
site root and their index page (on 100,000 events a third level cost 60 % more)."""


def _prefix_of_outer_path(path_field: str) -> dict:
    """Annotation matching rows whose `path_field` is a prefix of the outer page's path."""
    return {"outer_prefix": Substr(OuterRef("path"), 1, Length(path_field))}


def not_live_now(now: dt.datetime) -> Q:
    """Pages the public may not see today: unpublished, not yet gone live, or expired."""
    return Q(live=False) | Q(go_live_at__gt=now) | Q(expire_at__lte=now)


def hidden_ancestor(root_path: str, now: dt.datetime) -> Q:
    """True when a page between the site root (`root_path`) and the row is not live now.

    The site's home and the levels just below it (where the hub's index pages and items
    sit) are looked up by their paths, prefixes of the row's path: a few index lookups
    per row, no scan. Rows deeper than that also compare against every page below those
    levels that has children and is not live, so the rule holds at any depth.
    """
    step = Page.steplen
    root_depth = len(root_path) // step
    near_depths = range(root_depth, root_depth + NEAR_ANCESTOR_LEVELS)
    hidden = Page.objects.filter(not_live_now(now))
    near = Exists(
        hidden.filter(
            path__in=[
                Substr(OuterRef("path"), 1, step * depth) for depth in near_depths
            ]
        ).values("pk")
    )
    far = Exists(
        hidden.filter(
            depth__gte=near_depths.stop, numchild__gt=0, path__startswith=root_path
        )
        .annotate(**_prefix_of_outer_path("path"))
        .filter(path=F("outer_prefix"))
        .values("pk")
    )
    return Q(near) | (Q(depth__gt=near_depths.stop) & Q(far))


def default_site_root_path() -> str:
    """Tree path of the default site's root page ("" if there is none), cached.

    Cleared when a site changes or a page moves (`pages.caching.receivers`), and at most
    `DEFAULT_SITE_ROOT_TIMEOUT` seconds old in a per-process cache.
    """
    path: str | None = cache.get(DEFAULT_SITE_ROOT_KEY)
    if path is None:
        path = (
            Site.objects.filter(is_default_site=True)
            .order_by("pk")
            .values_list("root_page__path", flat=True)
            .first()
        ) or ""
        cache.set(DEFAULT_SITE_ROOT_KEY, path, DEFAULT_SITE_ROOT_TIMEOUT)
    return path


def forget_default_site_root_path() -> None:
    cache.delete(DEFAULT_SITE_ROOT_KEY)


class HubPageQuerySet(PageQuerySet):
    if TYPE_CHECKING:
        # Wagtail's PageQuerySet is untyped; the chaining used here keeps the class.
        def filter(self, *args: Any, **kwargs: Any) -> Self: ...
        def exclude(self, *args: Any, **kwargs: Any) -> Self: ...
        def none(self) -> Self: ...

    def published(self) -> Self:
        """Live, gone live, not expired, and part of the default site, and so is every
        ancestor up to the site root; may be restricted.

        Expiry and go-live are checked here rather than trusting `live`, so a page vanishes
        at `expire_at` even before `publish_scheduled` has run. An unpublished, expired or
        not yet live ancestor hides its whole subtree (Wagtail itself would serve a live
        page below a draft); `hidden_ancestor` checks that in the same query.

        The site is a prefix match on a constant path, so the database can start from a
        list's own filters (city, dates) and check the site per row; a prefix subquery made
        PostgreSQL scan every page. The path still has to be the default site's root (one
        check per query): a stale cached path hides pages instead of showing another
        site's.
        """
        now = timezone.now()
        root_path = default_site_root_path()
        if not root_path:
            return self.none()
        still_default_root = Site.objects.filter(
            is_default_site=True, root_page__path=root_path
        )
        return self.filter(
            Q(go_live_at__isnull=True) | Q(go_live_at__lte=now),
            Q(expire_at__isnull=True) | Q(expire_at__gt=now),
            Exists(still_default_root),
            path__startswith=root_path,
            live=True,
            # A page saved as live but never published (`add_child` of a new page in a
            # script: Wagtail's default is `live=True`) has no publication date yet.
            first_published_at__isnull=False,
        ).exclude(hidden_ancestor(root_path, now))

    def visible(self) -> Self:
        """Published, and no view restriction on the page or any ancestor.

        Neither check adds a query: restrictions are a subquery, and the default site's
        root path is cached (see `published()`).
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
