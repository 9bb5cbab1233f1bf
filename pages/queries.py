"""The one place that decides which pages the public may see, used by every public surface.

Which documents and images the public may see is decided in `pages.media`.
"""

import datetime as dt
from typing import TYPE_CHECKING, Any, Self

from django.core.cache import cache
from django.db.models import Exists, F, OuterRef, Q, Subquery
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
TRANSLATED_SITE_ROOTS_KEY = "hub:translated-site-root-paths"
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


def site_root_paths() -> tuple[str, tuple[str, ...]]:
    """Tree paths of the default site's root page ("" if there is none) and of its
    translations (the roots of `/ar/…`, `/de-x-ls/…`), cached.

    Cleared when a site changes or a page moves (`pages.caching.receivers`) or a
    language tree is built (`pages.translations`), and at most
    `DEFAULT_SITE_ROOT_TIMEOUT` seconds old in a per-process cache. One query fills both.
    """
    cached = cache.get_many([DEFAULT_SITE_ROOT_KEY, TRANSLATED_SITE_ROOTS_KEY])
    root: str | None = cached.get(DEFAULT_SITE_ROOT_KEY)
    translated: tuple[str, ...] | None = cached.get(TRANSLATED_SITE_ROOTS_KEY)
    if root is not None and translated is not None:
        return root, translated
    if root is None:
        default_sites = Site.objects.filter(is_default_site=True).order_by("pk")
        rows = list(
            Page.objects.filter(
                translation_key=Subquery(
                    default_sites.values("root_page__translation_key")[:1]
                )
            )
            .annotate(
                is_root=Exists(
                    default_sites.filter(root_page=OuterRef("pk")).values("pk")
                )
            )
            .order_by("path")
            .values_list("path", "is_root")
        )
        root = next((path for path, is_root in rows if is_root), "")
        translated = tuple(path for path, is_root in rows if root and not is_root)
        cache.set(DEFAULT_SITE_ROOT_KEY, root, DEFAULT_SITE_ROOT_TIMEOUT)
    else:
        translated = tuple(
            Page.objects.filter(
                translation_key=Subquery(
                    Page.objects.filter(path=root).values("translation_key")[:1]
                )
            )
            .exclude(path=root)
            .order_by("path")
            .values_list("path", flat=True)
        )
    cache.set(TRANSLATED_SITE_ROOTS_KEY, translated, DEFAULT_SITE_ROOT_TIMEOUT)
    return root, translated


def default_site_root_path() -> str:
    """Tree path of the default site's root page ("" if there is none), cached."""
    return site_root_paths()[0]


def forget_default_site_root_path() -> None:
    cache.delete_many([DEFAULT_SITE_ROOT_KEY, TRANSLATED_SITE_ROOTS_KEY])


def live_now(now: dt.datetime) -> Q:
    """Published, gone live and not expired at `now` (the page alone, not its ancestors).

    A page saved as live but never published (`add_child` of a new page in a script:
    Wagtail's default is `live=True`) has no publication date yet.
    """
    return (
        (Q(go_live_at__isnull=True) | Q(go_live_at__lte=now))
        & (Q(expire_at__isnull=True) | Q(expire_at__gt=now))
        & Q(live=True, first_published_at__isnull=False)
    )


def _restricted() -> Exists:
    """A view restriction on the outer page or one of its ancestors."""
    return Exists(
        PageViewRestriction.objects.annotate(**_prefix_of_outer_path("page__path"))
        .filter(page__path=F("outer_prefix"))
        .values("pk")
    )


def _german_source(root_path: str) -> PageQuerySet:
    """The German page of the outer translation: same `translation_key`, German tree."""
    return Page.objects.filter(
        translation_key=OuterRef("translation_key"), path__startswith=root_path
    )


def _in_any(paths: tuple[str, ...]) -> Q:
    in_any = Q()
    for path in paths:
        in_any |= Q(path__startswith=path)
    return in_any


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

        Translations live in the language trees beside the German one (the root's
        translations, `/ar/…`). The German page decides whether an item exists: a
        translation is shown only while its German page is published by the same rule;
        the translation decides only whether its own text is live (its own state and its
        tree's). A live alias is German text under a language prefix and never shown.
        Without language trees the query is the German one alone.
        """
        now = timezone.now()
        root_path, translated_roots = site_root_paths()
        if not root_path:
            return self.none()
        still_default_root = Site.objects.filter(
            is_default_site=True, root_page__path=root_path
        )
        if not translated_roots:
            return self.filter(
                live_now(now),
                Exists(still_default_root),
                path__startswith=root_path,
            ).exclude(hidden_ancestor(root_path, now))
        german_source_published = Exists(
            _german_source(root_path)
            .filter(live_now(now))
            .exclude(hidden_ancestor(root_path, now))
            .values("pk")
        )
        in_german_tree = Q(path__startswith=root_path) & ~hidden_ancestor(
            root_path, now
        )
        in_language_tree = Q()
        for translated_root in translated_roots:
            in_language_tree |= Q(path__startswith=translated_root) & ~hidden_ancestor(
                translated_root, now
            )
        translation = (
            in_language_tree & Q(alias_of__isnull=True) & german_source_published
        )
        return self.filter(live_now(now), Exists(still_default_root)).filter(
            in_german_tree | translation
        )

    def visible(self) -> Self:
        """Published, and no view restriction on the page or any ancestor (for a
        translation: nor on its German page or the German page's ancestors).

        Neither check adds a query: restrictions are a subquery, and the site roots'
        paths are cached (see `published()`).
        """
        visible = self.published().exclude(_restricted())
        root_path, translated_roots = site_root_paths()
        if not translated_roots:
            return visible
        german_source_restricted = Exists(
            _german_source(root_path).filter(_restricted()).values("pk")
        )
        return visible.exclude(_in_any(translated_roots) & german_source_restricted)

    def listed(self) -> Self:
        """Visible pages of the German tree: the items every list, feed, embed, detail
        and the change feed are made of. A translation is not an item of its own but
        its German item's text in one language (`pages.items`), so every language
        lists the same items, and the query is the German one alone.
        """
        now = timezone.now()
        root_path = default_site_root_path()
        if not root_path:
            return self.none()
        still_default_root = Site.objects.filter(
            is_default_site=True, root_page__path=root_path
        )
        return (
            self.filter(live_now(now), Exists(still_default_root))
            .filter(path__startswith=root_path)
            .exclude(hidden_ancestor(root_path, now))
            .exclude(_restricted())
        )


def all_pages() -> HubPageQuerySet:
    """Every page of any type, for `published()`/`visible()` outside a content model."""
    return HubPageQuerySet(Page)


HubPageManager = PageManager.from_queryset(HubPageQuerySet)
