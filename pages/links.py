"""Absolute URLs built from `SITE_BASE_URL`, never from the request's Host header."""

from django.conf import settings

from wagtail.models import Page


def absolute(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_BASE_URL + path


def public_url(page: Page) -> str:
    """Canonical public page of an item (what feed entries and API results link to)."""
    parts = page.get_url_parts()
    return absolute(parts[2] if parts else page.url_path)
