"""Template filters that keep private documents off public pages."""

from django import template
from django.db.models import QuerySet

from pages.queries import is_public_document, public_attachments

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
