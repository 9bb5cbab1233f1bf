"""WebSub (W3C Recommendation; formerly PubSubHubbub): the feeds name a hub, and the hub
hears when they change, so feed readers subscribed there get new entries within seconds
instead of polling.

- Advertising: with `HUB_WEBSUB_HUB` set, every unfiltered RSS, Atom and JSON feed names
  the hub and itself (`<atom:link rel="hub">`/`rel="self"`, JSON Feed's `hubs`, and the
  `Link` header). Filtered feeds (`?city=…`) and calendars do not: the hub is only told
  about the canonical URLs, and iCalendar has no WebSub.
- Publishing: a committed change (`pages.changes.content_changed`) pings the hub for the
  feeds it may have altered — its sections' feeds and `all`, in every format — from a
  task on the background queue (`ping`): `POST hub.mode=publish&hub.url=<feed URL>`,
  form-encoded, the publisher convention hubs (Superfeedr, websub.rocks, Google's)
  accept. A feed waiting for its ping is not queued again (one ping per feed and burst of
  changes, gathered for `DEBOUNCE`); a failed ping is logged and tried again later, and never touches the
  editor's save.
"""

import datetime as dt
import logging
from collections.abc import Iterable
from functools import partial
from typing import Any, Protocol

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

import requests
from django_tasks import task

from pages import sections
from pages.links import absolute

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 5.0
RETRY_AFTER = (10, 60)
"""Seconds before the second and the third (last) attempt of a failed ping."""
DEBOUNCE = dt.timedelta(seconds=5)
"""How long a ping waits for further changes to its feeds (on a queue that can defer)."""
PENDING_SECONDS = 600
"""How long a queued ping keeps further changes of its feed from queueing another; the
task clears the mark when it starts (so a worker that is down delays, never loses)."""


def hub_url() -> str:
    """The configured hub (`HUB_WEBSUB_HUB`), "" when WebSub is off."""
    return str(getattr(settings, "HUB_WEBSUB_HUB", "") or "")


def feed_url(section: sections.Section, format: str, query_string: str = "") -> str:
    """Absolute URL of a feed; without `query_string` the canonical one the hub knows."""
    query = f"?{query_string}" if query_string else ""
    return absolute(f"/feeds/{section.feed_path_name}.{format}{query}")


def announced_formats(section: sections.Section) -> tuple[str, ...]:
    """The formats of `section` that name the hub (iCalendar has no WebSub)."""
    return tuple(f for f in section.feed_formats if f != sections.CALENDAR_FORMAT)


def advertised_hub(format: str, query_string: str) -> str:
    """The hub a feed names: "" when WebSub is off, for filtered feeds and calendars."""
    if query_string or format == sections.CALENDAR_FORMAT:
        return ""
    return hub_url()


def link_headers(
    section: sections.Section, format: str, query_string: str
) -> dict[str, str]:
    """The HTTP `Link` header WebSub discovery reads first (section 4 of the spec), for
    a feed that names a hub; no header otherwise."""
    hub = advertised_hub(format, query_string)
    if not hub:
        return {}
    self_url = feed_url(section, format)
    return {"Link": f'<{hub}>; rel="hub", <{self_url}>; rel="self"'}


class Change(Protocol):
    """What `pages.changes.content_changed` sends (`pages.changes.Change`)."""

    pages: frozenset[int]
    sections: frozenset[str]
    taxonomies: bool
    everything: bool


def changed_feeds(change: Change) -> list[str]:
    """Canonical URLs of the feeds the change may have altered: the feeds of its
    sections (every section for a site-wide change) and of `all`."""
    if change.everything:
        names: Iterable[str] = sections.names()
    else:
        names = sorted(change.sections)
    listed = [sections.get(name) for name in names]
    if not listed:
        return []
    return [
        feed_url(section, format)
        for section in (*listed, sections.ALL_ITEMS)
        for format in announced_formats(section)
    ]


def _pending_key(url: str) -> str:
    return f"websub-pending:{url}"


def on_content_changed(sender: Any, change: Change, **kwargs: Any) -> None:
    """Receiver of `content_changed`: one ping task for the feeds not already waiting
    for one, after the commit."""
    if not hub_url():
        return
    urls = [
        url
        for url in changed_feeds(change)
        # Fail-open caches answer False to `add` while down: ping rather than lose it.
        if cache.add(_pending_key(url), True, PENDING_SECONDS)
        or cache.get(_pending_key(url)) is None
    ]
    if urls:
        task = ping
        if ping.get_backend().supports_defer:
            # A burst of changes (a bulk action, an import) marks its feeds pending
            # meanwhile and gets one ping per feed.
            task = ping.using(run_after=timezone.now() + DEBOUNCE)
        transaction.on_commit(partial(task.enqueue, urls))


def connect(content_changed: Signal) -> None:
    """Connect the ping receiver to `pages.changes.content_changed` (from
    `FeedsConfig.ready()`; tests may pass a signal of their own)."""
    content_changed.connect(on_content_changed, dispatch_uid="feeds.websub.ping")


class PingFailed(Exception):
    pass


@task(backend="queue")
def ping(feed_urls: list[str], attempt: int = 1) -> int:
    """Tell the hub that `feed_urls` changed; returns how many pings it accepted.

    Feeds whose ping failed are tried again `RETRY_AFTER` later (at once on a queue
    that cannot defer), at most three times in all; the last failure raises, so the task
    shows as failed with the reason.
    """
    hub = hub_url()
    if not hub or not feed_urls:
        return 0
    if attempt == 1:
        # Changes from now on need a ping of their own: the hub may fetch the feed
        # before they commit.
        cache.delete_many([_pending_key(url) for url in feed_urls])
    failed = [url for url in feed_urls if not _publish(hub, url, attempt)]
    if failed and attempt > len(RETRY_AFTER):
        raise PingFailed(f"{hub} refused {', '.join(failed)} {attempt} times")
    if failed:
        retry = ping
        if ping.get_backend().supports_defer:
            delay = dt.timedelta(seconds=RETRY_AFTER[attempt - 1])
            retry = ping.using(run_after=timezone.now() + delay)
        retry.enqueue(failed, attempt + 1)
    return len(feed_urls) - len(failed)


def _publish(hub: str, url: str, attempt: int) -> bool:
    """One `hub.mode=publish` request; any 2xx is success."""
    timeout = float(getattr(settings, "HUB_WEBSUB_TIMEOUT", DEFAULT_TIMEOUT))
    try:
        response = requests.post(
            hub, data={"hub.mode": "publish", "hub.url": url}, timeout=timeout
        )
    except requests.RequestException as error:
        reason = str(error)
    else:
        if 200 <= response.status_code < 300:
            logger.info("WebSub hub %s pinged for %s", hub, url)
            return True
        reason = f"{response.status_code} {response.text[:200]}"
    logger.warning(
        "WebSub ping of %s for %s failed (attempt %d of %d): %s",
        hub,
        url,
        attempt,
        len(RETRY_AFTER) + 1,
        reason,
    )
    return False
