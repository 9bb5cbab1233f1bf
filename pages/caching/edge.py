"""An HTTP cache in front of the hub (Varnish, Fastly, Cloudflare): surrogate keys on
public responses, and exact purges when content changes (docs/edge-caching.md).

Keys ("tags") come from the request path alone, through URL resolving, in one place
(`route_tags`); views know nothing of them:

- `hub` on every tagged response: purged when something site-wide changes;
- `item-<page id>` on an item's API detail (v1 and v2) and on every public page;
- `list-<section>` on a section's API list, feeds, embed and index page; `list-all` on
  what lists every section (`/api/v1/items/`, `/feeds/all.*`, v2's page listing, the
  sitemap, the home page);
- `taxonomies` on the taxonomy endpoints and on the index pages (their filter menus);
- `pages` on every public page (the navigation names the home and index pages).

A change (`pages.changes.content_changed`) purges the keys `purge_tags` names, in one
background task (`purge`) per change, sent to the backend `HUB_EDGE_BACKEND` names.
"""

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.dispatch import Signal
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, ResolverMatch, resolve
from django.utils import timezone

from wagtail.models import Page

import requests
from django_tasks import task

from pages import sections
from pages.models import HomePage, SectionIndexPage

logger = logging.getLogger(__name__)

HUB = "hub"
LIST_ALL = "list-all"
TAXONOMIES = "taxonomies"
PAGES = "pages"

TAGGED_STATUSES = frozenset({200, 304, 404})
PER_USER_DIRECTIVES = frozenset({"private", "no-store", "no-cache"})
DEFAULT_PAGE_MAX_AGE = 300
"""How long the edge may keep a public page that says nothing itself (`s-maxage`)."""
DEFAULT_TIMEOUT = 5.0
ATTEMPTS = 3
FASTLY_API_URL = "https://api.fastly.com"
CLOUDFLARE_API_URL = "https://api.cloudflare.com/client/v4"
FASTLY_KEYS_PER_REQUEST = 256
CLOUDFLARE_TAGS_PER_REQUEST = 30


@dataclass(frozen=True)
class Backend:
    """One kind of edge: the response headers its keys go into, and how to purge."""

    name: str
    headers: tuple[tuple[str, str], ...]
    """(header name, separator) pairs the keys are written to."""


BACKENDS = {
    backend.name: backend
    for backend in (
        Backend("none", ()),
        Backend("varnish", (("xkey", " "),)),
        Backend("fastly", (("Surrogate-Key", " "),)),
        Backend("cloudflare", (("Cache-Tag", ","),)),
    )
}


def configured_backend() -> Backend:
    """The backend `HUB_EDGE_BACKEND` names ("none" when unset)."""
    name = getattr(settings, "HUB_EDGE_BACKEND", "none") or "none"
    return BACKENDS[name]


def item_tag(page_id: int) -> str:
    return f"item-{page_id}"


def list_tag(section: sections.Section) -> str:
    return LIST_ALL if section is sections.ALL_ITEMS else f"list-{section.name}"


# --- Keys of a response -------------------------------------------------------------


def route_tags(request: HttpRequest) -> frozenset[str] | None:
    """The keys of the public resource at the request's path, without `hub`; None when
    the path is not one the edge may keep (admin, documents, media, unknown)."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if match.url_name == "wagtail_serve":
        return _page(request, match)
    if match.route == "sitemap.xml":
        return frozenset({LIST_ALL})
    tagger = ROUTE_TAGGERS.get(match.namespace)
    return tagger(request, match) if tagger else None


def _api_v1(request: HttpRequest, match: ResolverMatch) -> frozenset[str] | None:
    initkwargs = getattr(match.func, "view_initkwargs", {})
    section = initkwargs.get("section")
    if section is not None:
        if "id" in match.kwargs:
            return frozenset({item_tag(int(match.kwargs["id"]))})
        return frozenset({list_tag(section)})
    if "model" in initkwargs:
        return frozenset({TAXONOMIES})
    if match.url_name in ("schema", "docs"):
        return frozenset()
    # Anything newer under /api/v1/ (an index, a change feed) changes with every list.
    return frozenset({LIST_ALL})


def _api_v2_pages(request: HttpRequest, match: ResolverMatch) -> frozenset[str] | None:
    if "pk" in match.kwargs:
        return frozenset({item_tag(int(match.kwargs["pk"]))})
    return frozenset({LIST_ALL})


def _feed(request: HttpRequest, match: ResolverMatch) -> frozenset[str] | None:
    try:
        return frozenset({list_tag(sections.by_feed_name(match.kwargs["section"]))})
    except (KeyError, sections.UnknownSection):
        return None


def _embed(request: HttpRequest, match: ResolverMatch) -> frozenset[str] | None:
    if match.url_name != "list":
        return frozenset()  # the embed scripts
    try:
        return frozenset({list_tag(sections.get(match.kwargs["section"]))})
    except (KeyError, sections.UnknownSection):
        return None


def _page(request: HttpRequest, match: ResolverMatch) -> frozenset[str] | None:
    """A Wagtail page: the route Wagtail's `serve` found (cached on the request)."""
    page = Page.find_for_request(request, request.path_info)
    if page is None:
        return None
    tags = {PAGES, item_tag(page.pk)}
    if isinstance(page, SectionIndexPage):
        tags |= {list_tag(page.section), TAXONOMIES}
    elif isinstance(page, HomePage):
        tags.add(LIST_ALL)
    return frozenset(tags)


ROUTE_TAGGERS: dict[
    str, Callable[[HttpRequest, ResolverMatch], frozenset[str] | None]
] = {
    "api-v1": _api_v1,
    "wagtailapi:pages": _api_v2_pages,
    "feeds": _feed,
    "embeds": _embed,
}
EDGE_KEPT_ROUTES = frozenset({"wagtail_serve", "wagtailapi:pages"})
"""Routes whose public answers carry no Cache-Control of their own (Wagtail's pages and
its API v2 pages); the edge may keep them since every change purges them."""


def cache_directives(response: HttpResponse) -> set[str]:
    """The names of the response's Cache-Control directives, lowercase."""
    return {
        part.split("=", 1)[0].strip().lower()
        for part in response.get("Cache-Control", "").split(",")
        if part.strip()
    }


def is_per_user(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether the answer may differ for another visitor: a signed-in (or session)
    request, a cookie set, or a response its own headers keep out of shared caches."""
    return bool(
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or "Authorization" in request.headers
        or response.cookies
        or response.has_header("Set-Cookie")
        or cache_directives(response) & PER_USER_DIRECTIVES
        or response.get("Vary", "").strip() == "*"
    )


class EdgeTagMiddleware:
    """Writes the keys of public GET/HEAD answers (200, 304, 404) into the header(s) of
    the configured edge, and lets the edge keep public pages that say nothing about
    caching themselves (`public, max-age=0, s-maxage=HUB_EDGE_PAGE_MAX_AGE`: browsers
    ask again each time, the edge keeps them until a purge).

    Sits above `CachedResponseMiddleware`, so early answers from the response store are
    tagged too. Does nothing while `HUB_EDGE_BACKEND` is "none".
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        backend = configured_backend()
        if (
            not backend.headers
            or request.method not in ("GET", "HEAD")
            or response.status_code not in TAGGED_STATUSES
            or is_per_user(request, response)
        ):
            return response
        tags = route_tags(request)
        if tags is None:
            return response
        keys = sorted({HUB, *tags})
        for header, separator in backend.headers:
            response[header] = separator.join(keys)
        match = request.resolver_match
        if (
            response.status_code == 200
            and match is not None
            and (
                match.url_name in EDGE_KEPT_ROUTES
                or match.namespace in EDGE_KEPT_ROUTES
            )
        ):
            _let_edge_keep(response)
        return response


def _let_edge_keep(response: HttpResponse) -> None:
    if response.has_header("Cache-Control"):
        return
    max_age = getattr(settings, "HUB_EDGE_PAGE_MAX_AGE", DEFAULT_PAGE_MAX_AGE)
    response["Cache-Control"] = f"public, max-age=0, s-maxage={max_age}"


# --- Purging --------------------------------------------------------------------------


class Change(Protocol):
    """What `pages.changes.content_changed` sends: what the public may see differently."""

    pages: frozenset[int]
    sections: frozenset[str]
    taxonomies: bool
    everything: bool


def purge_tags(change: Change) -> frozenset[str]:
    """The keys of every response the change may have altered."""
    if change.everything:
        return frozenset({HUB})
    tags = {item_tag(page_id) for page_id in change.pages}
    names = set(change.sections)
    if change.taxonomies:
        tags.add(TAXONOMIES)
        names |= set(sections.names())
    for name in names:
        tags.add(list_tag(sections.get(name)))
    if names or change.pages:
        # What lists every page (API v2, the sitemap) shows index and home pages too.
        tags.add(LIST_ALL)
    if change.pages and _names_navigation(change.pages):
        tags.add(PAGES)
    return frozenset(tags)


def _names_navigation(page_ids: Iterable[int]) -> bool:
    """Whether one of the pages is the home page or an index (in every page's menu)."""
    return bool(
        Page.objects.filter(
            pk__in=list(page_ids), depth__lte=HOME_AND_INDEX_DEPTH
        ).exists()
    )


HOME_AND_INDEX_DEPTH = 3
"""Wagtail's root is depth 1, the home page 2, the section indexes 3."""


def on_content_changed(sender: Any, change: Change, **kwargs: Any) -> None:
    """Receiver of `content_changed`: one purge task for the change, after the commit."""
    if not configured_backend().headers:
        return
    tags = sorted(purge_tags(change))
    if tags:
        transaction.on_commit(lambda: enqueue_purges(tags))


DEFAULT_REPURGE_AFTER = 10.0
"""Seconds until a second purge of the same keys (`HUB_EDGE_REPURGE_AFTER`; 0: none): a
render that began before the commit and reached the edge after the first purge would
otherwise stay until it expires."""


def enqueue_purges(tags: list[str]) -> None:
    purge.enqueue(tags)
    later = float(getattr(settings, "HUB_EDGE_REPURGE_AFTER", DEFAULT_REPURGE_AFTER))
    if later > 0 and purge.get_backend().supports_defer:
        run_after = timezone.now() + dt.timedelta(seconds=later)
        purge.using(run_after=run_after).enqueue(tags)


def connect(content_changed: Signal) -> None:
    """Connect the purge receiver to `pages.changes.content_changed` (called from
    `PagesConfig.ready()`; tests pass a signal of their own)."""
    content_changed.connect(on_content_changed, dispatch_uid="pages.caching.edge.purge")


@task(backend="queue")
def purge(tags: list[str]) -> int:
    """Purge `tags` at the configured edge; returns the number of purge requests sent.
    Raises when one still fails after `ATTEMPTS` tries (the task shows as failed)."""
    backend = configured_backend()
    sender = PURGERS.get(backend.name)
    if sender is None or not tags:
        return 0
    requests_sent = sender(list(tags))
    logger.info("Edge purge (%s): %s", backend.name, " ".join(tags))
    return requests_sent


class PurgeFailed(Exception):
    pass


def _send(method: str, url: str, **kwargs: Any) -> requests.Response:
    """One purge request, tried `ATTEMPTS` times (1 s, 2 s apart); any non-2xx fails."""
    timeout = getattr(settings, "HUB_EDGE_TIMEOUT", DEFAULT_TIMEOUT)
    error: Exception | None = None
    for attempt in range(1, ATTEMPTS + 1):
        try:
            response = requests.request(method, url, timeout=timeout, **kwargs)
            if 200 <= response.status_code < 300:
                return response
            error = PurgeFailed(f"{response.status_code} {response.text[:200]}")
        except requests.RequestException as exception:
            error = exception
        logger.warning(
            "Edge purge %s %s failed (attempt %d of %d): %s",
            method,
            url,
            attempt,
            ATTEMPTS,
            error,
        )
        if attempt < ATTEMPTS:
            time.sleep(2 ** (attempt - 1))
    raise PurgeFailed(f"{method} {url}: {error}")


def _chunks(tags: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(tags), size):
        yield tags[start : start + size]


def purge_varnish(tags: list[str]) -> int:
    """`PURGE` with `xkey-purge: <keys>` to every Varnish in `HUB_EDGE_PURGE_URLS`."""
    urls = list(getattr(settings, "HUB_EDGE_PURGE_URLS", ()))
    failures = []
    for url in urls:
        try:
            _send("PURGE", url, headers={"xkey-purge": " ".join(tags)})
        except PurgeFailed as error:
            failures.append(str(error))
    if failures:
        raise PurgeFailed("; ".join(failures))
    return len(urls)


def _account() -> tuple[str, str]:
    """The CDN's service (Fastly) or zone (Cloudflare) id and the API token."""
    return (
        getattr(settings, "HUB_EDGE_SERVICE", ""),
        getattr(settings, "HUB_EDGE_TOKEN", ""),
    )


def _api_url(default: str) -> str:
    return (getattr(settings, "HUB_EDGE_API_URL", "") or default).rstrip("/")


def purge_fastly(tags: list[str]) -> int:
    """Fastly's bulk purge by surrogate key: `POST /service/<id>/purge`."""
    service, token = _account()
    url = f"{_api_url(FASTLY_API_URL)}/service/{service}/purge"
    sent = 0
    for chunk in _chunks(tags, FASTLY_KEYS_PER_REQUEST):
        _send(
            "POST",
            url,
            headers={
                "Fastly-Key": token,
                "Surrogate-Key": " ".join(chunk),
                "Accept": "application/json",
            },
        )
        sent += 1
    return sent


def purge_cloudflare(tags: list[str]) -> int:
    """Cloudflare's purge by cache tag: `POST /zones/<zone>/purge_cache {"tags": [...]}`."""
    zone, token = _account()
    url = f"{_api_url(CLOUDFLARE_API_URL)}/zones/{zone}/purge_cache"
    sent = 0
    for chunk in _chunks(tags, CLOUDFLARE_TAGS_PER_REQUEST):
        _send(
            "POST",
            url,
            headers={"Authorization": f"Bearer {token}"},
            json={"tags": chunk},
        )
        sent += 1
    return sent


PURGERS: dict[str, Callable[[list[str]], int]] = {
    "varnish": purge_varnish,
    "fastly": purge_fastly,
    "cloudflare": purge_cloudflare,
}
