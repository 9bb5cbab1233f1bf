"""Template filters that keep private documents and unsafe HTML off public pages."""

from django import template
from django.db.models import QuerySet
from django.utils.safestring import mark_safe

from wagtail.rich_text import expand_db_html

from pages.queries import is_public_document, public_attachments
from pages.sanitize import clean_html

register = template.Library()


@register.filter
def public_only(attachments):
    """`page.attachments.all|public_only`: drops attachments of private documents."""
    if not isinstance(attachments, QuerySet):  # a page type without attachments
        return []
    return public_attachments(attachments)


@register.filter
def if_public(document):
    """The document if it is public, else None (for `{% with %}`/`{% if %}`)."""
    return document if is_public_document(document) else None


@register.filter
def sanitized_richtext(value) -> str:
    """Rich text through the shared allowlist: stored HTML may come from an import or a
    paste, and Wagtail's `richtext` filter would pass a `<script>` or `onerror=` through."""
    source = getattr(value, "source", value) or ""
    # Safe: the allowlist sanitizer (nh3) produced this markup.
    return mark_safe(clean_html(expand_db_html(str(source))))  # noqa: S308  # nosec
