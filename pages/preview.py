"""Drafts as the public surfaces would show them: an item row built from a page instance
(the latest revision, never saved as the live page), and the signed links that let a
partner read one draft through the API for a short time (docs/preview.md).

`pages.items` loads rows of what is published with `values()` queries; a draft exists
only as a revision's page object, so its row is built here from that object, with the
same types (`EventItem`, …) and the same media rule: private documents and images are
left out as they are in every public representation.
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core import signing
from django.utils import timezone

from wagtail.images import get_image_model
from wagtail.models import Page, Site

from . import sections
from . import series as series_rules
from .items import (
    COLUMNS,
    EVENTS,
    ITEM_MODIFIED_AT,
    ROWS,
    Attachment,
    Cancellation,
    Contact,
    Item,
    Occurrence,
    Series,
    Term,
    Venue,
    api_url,
    attach_translations,
    page_path,
)
from .links import absolute
from .media import in_public_collections, public_attachments, public_or_none
from .sections import Section

SIGNING_SALT = "hub.preview.partner"  # a namespace, not a secret
"""Signs partner preview links only: no other signed value of the hub is one."""


class InvalidToken(Exception):
    """The link was not made by this hub (or was altered)."""


class ExpiredToken(Exception):
    """The link was made by this hub but is older than `HUB_PREVIEW_TOKEN_MAX_AGE`."""


def section_of(page: Page) -> Section | None:
    """The section whose items `page` (a specific page) is, or None (home, indexes)."""
    try:
        return sections.of_page_model(type(page))
    except LookupError:
        return None


def make_token(page: Page) -> str:
    """A partner preview token for `page`'s latest revision, valid for the max age."""
    return signing.dumps({"page": page.pk}, salt=SIGNING_SALT, compress=True)


def read_token(token: str) -> int:
    """The page id of a partner preview token; `ExpiredToken`, `InvalidToken`."""
    try:
        value = signing.loads(
            token, salt=SIGNING_SALT, max_age=settings.HUB_PREVIEW_TOKEN_MAX_AGE
        )
    except signing.SignatureExpired as error:
        raise ExpiredToken from error
    except (signing.BadSignature, ValueError) as error:
        raise InvalidToken from error
    if not isinstance(value, dict) or not isinstance(value.get("page"), int):
        raise InvalidToken
    return int(value["page"])


def token_expires_at(now: dt.datetime | None = None) -> dt.datetime:
    """When a token made now stops working."""
    return (now or timezone.now()) + dt.timedelta(
        seconds=settings.HUB_PREVIEW_TOKEN_MAX_AGE
    )


def draft_of(page_id: int) -> Page | None:
    """The latest revision of an item page as a page object, or None (no such item)."""
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return None
    specific = page.specific
    if section_of(specific) is None:
        return None
    draft: Page = specific.get_latest_revision_as_object()
    return draft


def item_of(page: Page) -> Item:
    """The row the public surfaces would show for `page` (a specific item page, possibly
    a revision's unsaved object), with every relation and the body."""
    section = section_of(page)
    if section is None:
        raise LookupError(f"{type(page).__name__} is not an item of any section")
    roots = Site.get_site_root_paths()
    path = page_path(page.url_path, roots, page.locale.language_code)
    changed = _modified_at(page)
    own = {
        name: getattr(page, name)
        for name in COLUMNS[section]
        if "__" not in name and name not in ("city_id", "venue_id")
    }
    related: dict[str, Any] = {}
    if section is EVENTS:
        city = _term(page.city) if page.city_id else None
        related = {
            "city_id": page.city_id,
            "venue_id": page.venue_id,
            "city": city,
            "venue": _venue(page.venue) if page.venue_id else None,
            "cities": [city] if city else [],
            "occurrences": [
                _occurrence(occurrence, page.recurrence)
                for occurrence in page.dated_occurrences()
            ],
            "recurrence": _series(page),
        }
    else:
        related = {"cities": _terms(page.cities.all())}
    if "pdf" in section.relations:
        related["pdf"] = public_or_none(page.pdf) if page.pdf_id else None
    item = ROWS[section](
        section=section,
        id=page.pk,
        title=page.title,
        url=absolute(path),
        api_url=api_url(section, page.pk),
        path=path,
        first_published_at=page.first_published_at or changed,
        last_published_at=page.last_published_at or changed,
        modified_at=changed,
        image_id=page.image_id,
        image=_image(page.image_id),
        teaser=page.teaser,
        body=page.body,
        target_groups=_terms(page.target_groups.all()),
        topics=_terms(page.topics.all()),
        contacts=[
            Contact(
                link.contact.name,
                link.contact.role,
                link.contact.phone,
                link.contact.email,
            )
            for link in page.contacts.all()
        ]
        if "contacts" in section.relations
        else [],
        attachments=[
            Attachment(a.title, a.url, a.role, a.document)
            for a in public_attachments(page.attachments.all())
        ]
        if "attachments" in section.relations
        else [],
        translation_key=page.translation_key,
        **related,
        **own,
    )
    if item.occurrences:
        item.shown_occurrence = item.occurrences[0]
    attach_translations([item], roots)
    return item


def _modified_at(page: Page) -> dt.datetime:
    """The public `modified_at` of an unchanged page; a draft's: its revision's time
    (a never published draft's publication dates are that time too, as if published
    now)."""
    public = (
        type(page)
        .objects.filter(pk=page.pk)
        .values_list(ITEM_MODIFIED_AT, flat=True)
        .first()
    )
    revised = page.latest_revision_created_at if page.has_unpublished_changes else None
    moments = [moment for moment in (public, revised) if moment is not None]
    return max(moments) if moments else timezone.now()


def _term(term: Any) -> Term:
    return Term(term.slug, term.name)


def _terms(terms: Any) -> list[Term]:
    """Terms in their editors' order (sort order, then name), as `items` lists them."""
    ordered = sorted(terms, key=lambda term: (term.sort_order, term.name))
    return [_term(term) for term in ordered]


def _venue(venue: Any) -> Venue:
    return Venue(
        name=venue.name,
        room=venue.room,
        street=venue.street,
        postcode=venue.postcode,
        town=venue.town,
        accessibility=venue.accessibility,
        latitude=venue.latitude,
        longitude=venue.longitude,
        city=_term(venue.city) if venue.city_id else None,
    )


def _series(page: Any) -> Series | None:
    rule = page.recurrence
    if rule is None:
        return None
    return Series(
        start_date=rule.start_date,
        start_time=rule.start_time,
        end_time=rule.end_time,
        frequency=rule.frequency,
        interval=rule.interval,
        weekday_ordinal=rule.weekday_ordinal,
        until=rule.until,
        count=rule.count,
        cancellations=[
            Cancellation(c.date, c.note)
            for c in sorted(page.cancellations.all(), key=lambda c: c.date)
        ],
    )


def _occurrence(occurrence: Any, rule: Any) -> Occurrence:
    return Occurrence(
        pk=occurrence.pk or 0,
        start_date=occurrence.start_date,
        end_date=occurrence.end_date,
        start_time=occurrence.start_time,
        end_time=occurrence.end_time,
        label=occurrence.label,
        starts_at=occurrence.starts_at,
        ends_at=occurrence.ends_at,
        series_date=occurrence.series_date,
        moved=series_rules.is_moved(occurrence, rule),
    )


def _image(image_id: int | None) -> Any:
    if not image_id:
        return None
    return (
        in_public_collections(get_image_model().objects.filter(pk=image_id))
        .prefetch_related("renditions")
        .first()
    )
