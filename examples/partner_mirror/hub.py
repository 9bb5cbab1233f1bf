"""The hub's change feed over HTTP: pages of it, 410 and 429 told apart, requests counted."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

import requests

CHANGES_PATH = "/api/v1/changes/"
USER_AGENT = "partner-mirror-example/1.0"


class HubError(Exception):
    """The hub answered with an error this client cannot act on."""


class CursorGone(HubError):
    """410: the cursor is older than the hub's change log; start again without it."""


@dataclass(frozen=True)
class ChangePage:
    items: list[dict[str, Any]]
    deleted: list[dict[str, Any]]
    next: str | None
    """Path and query of the next page, or None on the last one."""
    cursor: str
    etag: str | None = None


@dataclass
class Hub:
    """A session with one hub. `requests_made` counts every HTTP request sent."""

    base_url: str
    timeout: float = 30
    max_retries: int = 5
    max_retry_after: float = 300
    sleep: Callable[[float], None] = time.sleep
    session: requests.Session = field(default_factory=requests.Session)
    requests_made: int = 0

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/")
        self.session.headers["User-Agent"] = USER_AGENT
        self.session.headers["Accept"] = "application/json"

    def changes_url(self, filters: dict[str, str], **params: str) -> str:
        """Path and query of the change feed with `filters` and further `params`."""
        return f"{CHANGES_PATH}?{urlencode({**filters, **params})}"

    def changes(self, url: str) -> ChangePage:
        """The change-feed page at `url` (path and query)."""
        page = self.changes_if_new(url, etag=None)
        if page is None:
            raise HubError(f"GET {url}: 304 to a request without If-None-Match")
        return page

    def changes_if_new(self, url: str, etag: str | None) -> ChangePage | None:
        """The change-feed page at `url`; None when the hub answers 304 to `etag`."""
        headers = {"If-None-Match": etag} if etag else {}
        response = self._get(url, headers)
        if response.status_code == 304:
            return None
        body = response.json()
        return ChangePage(
            items=body["items"],
            deleted=body["deleted"],
            next=self.local(body["next"]) if body["next"] else None,
            cursor=body["cursor"],
            etag=response.headers.get("ETag"),
        )

    def local(self, link: str) -> str:
        """Path and query of a link the hub gave: requests go to `base_url` only, also
        when the hub's configured public address differs from the one we reach it at."""
        parts = urlsplit(urljoin(self.base_url + "/", link))
        return urlunsplit(("", "", parts.path, parts.query, ""))

    def _get(self, url: str, headers: dict[str, str]) -> requests.Response:
        for _attempt in range(self.max_retries + 1):
            self.requests_made += 1
            response = self.session.get(
                self.base_url + url, headers=headers, timeout=self.timeout
            )
            if response.status_code != 429:
                break
            self.sleep(min(retry_after(response), self.max_retry_after))
        if response.status_code == 410:
            raise CursorGone(_detail(response))
        if response.status_code not in (200, 304):
            raise HubError(f"GET {url}: {response.status_code} {_detail(response)}")
        return response


def retry_after(response: requests.Response) -> float:
    """Seconds to wait as a 429's `Retry-After` says (seconds or an HTTP date)."""
    value = response.headers.get("Retry-After", "").strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return 1.0
    return max(0.0, moment.timestamp() - time.time())


def _detail(response: requests.Response) -> str:
    """The problem's `detail` (RFC 7807), or the start of the body."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(body, dict) and "detail" in body:
        return str(body["detail"])
    return response.text[:200]
