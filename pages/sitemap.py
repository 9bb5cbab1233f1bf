"""sitemap.xml of every visible page, under the same rule as every other public surface.

Wagtail's and Django's sitemaps list `live().public()` pages of the site matching the
request's Host and build absolute URLs from that Host; this one uses `visible()` (expiry
and go-live checked in the query, restricted ancestors, default site only) and
`SITE_BASE_URL`.
"""

from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from .caching import serve_cached
from .links import public_url
from .queries import HubPageQuerySet, all_pages

MAX_AGE = 3600


def visible_pages() -> HubPageQuerySet:
    """Every visible page except the tree's root, in tree order."""
    pages: HubPageQuerySet = all_pages().visible().filter(depth__gt=1).order_by("path")
    return pages


@require_safe
def sitemap(request: HttpRequest) -> HttpResponse:
    pages = visible_pages()

    def render() -> tuple[bytes, str]:
        urlset = [
            {"location": public_url(page), "lastmod": page.modified_at}
            for page in pages.only("id", "path", "url_path").annotate(
                modified_at=Coalesce("item_state__modified_at", "last_published_at")
            )
        ]
        body = render_to_string("sitemap.xml", {"urlset": urlset})
        return body.encode(), "application/xml; charset=utf-8"

    return serve_cached(
        request,
        render=render,
        max_age=MAX_AGE,
        keyed_by_query=False,
    )
