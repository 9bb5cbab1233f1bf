"""Stored rich text as the public sees it, for every surface (pages, API, feeds, embeds).

Rich text stores references (`<a linktype="document" id="…">`, `<a linktype="page" …>`);
this is the one place they are expanded for the public, then sanitized with the shared
allowlist.
"""

from wagtail.rich_text import expand_db_html

from .sanitize import clean_html


def public_html(source: str) -> str:
    """Rich text as sanitized HTML for the public."""
    return clean_html(expand_db_html(source or ""))
