"""Allowlist sanitizing for HTML that leaves the site (API, feeds, embeds)."""

from urllib.parse import urljoin

from django.conf import settings

import nh3

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "em",
        "figcaption",
        "figure",
        "h2",
        "h3",
        "h4",
        "i",
        "li",
        "ol",
        "p",
        "pre",
        "strong",
        "sub",
        "sup",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})


def _absolute_urls(tag: str, attribute: str, value: str) -> str | None:
    if attribute in URL_ATTRIBUTES:
        return urljoin(settings.SITE_BASE_URL + "/", value.strip())
    return value


def clean_html(html: str) -> str:
    """Keep only harmless markup; every link absolute, since readers resolve no base URL.

    Escaping alone is not enough: feed readers and partner sites render this HTML.
    """
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        attribute_filter=_absolute_urls,
        link_rel="noopener noreferrer",
    )
