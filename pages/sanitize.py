"""One allowlist sanitizer for every HTML the hub hands to other sites (API, feeds, embeds).

Readers and partner sites render this HTML, so escaping is not enough: only known-safe tags,
attributes and URL schemes survive, and every link or image source becomes absolute
(built from `SITE_BASE_URL`, never from a request).
"""

from django.conf import settings

import nh3

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "cite",
        "code",
        "em",
        "figcaption",
        "figure",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "li",
        "ol",
        "p",
        "small",
        "strong",
        "sub",
        "sup",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Removed together with their content, not just unwrapped.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "noscript", "iframe"})


def clean_html(html: str) -> str:
    """Sanitize rendered HTML (allowlist) and make every `href`/`src` absolute."""
    if not html:
        return ""
    return nh3.clean(
        html.replace("\x00", ""),
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        url_relative=("rewrite_with_base", settings.SITE_BASE_URL + "/"),
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()
