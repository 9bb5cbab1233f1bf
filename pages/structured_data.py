"""schema.org JSON-LD for public detail pages (search engines and partner crawlers)."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings

from .enums import EventStatus
from .links import public_url

BERLIN = ZoneInfo("Europe/Berlin")


def organisation() -> dict:
    return {
        "@type": "Organization",
        "name": settings.WAGTAIL_SITE_NAME,
        "url": settings.SITE_BASE_URL + "/",
    }


def _moment(occurrence, *, end: bool) -> str:
    """A date for all-day occurrences, otherwise a local date-time with its UTC offset."""
    if occurrence.all_day:
        day: dt.date = occurrence.last_date if end else occurrence.start_date
        return day.isoformat()
    moment: dt.datetime = occurrence.ends_at if end else occurrence.starts_at
    return moment.astimezone(BERLIN).isoformat()


def _place(venue) -> dict:
    place: dict = {"@type": "Place", "name": venue.name}
    address = {
        "@type": "PostalAddress",
        "streetAddress": venue.street,
        "postalCode": venue.postcode,
        "addressLocality": venue.town,
        "addressCountry": "DE",
    }
    place["address"] = {key: value for key, value in address.items() if value}
    if venue.latitude is not None and venue.longitude is not None:
        place["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(venue.latitude),
            "longitude": float(venue.longitude),
        }
    return place


def event_location(page) -> dict | list:
    locations: list[dict] = []
    if page.venue:
        locations.append(_place(page.venue))
    elif page.city:
        locations.append(
            {
                "@type": "Place",
                "name": page.city.name,
                "address": {
                    "@type": "PostalAddress",
                    "addressLocality": page.city.name,
                    "addressRegion": "Ennepe-Ruhr-Kreis",
                    "addressCountry": "DE",
                },
            }
        )
    if page.online_url:
        locations.append({"@type": "VirtualLocation", "url": page.online_url})
    return locations[0] if len(locations) == 1 else locations


def event(page, occurrences: list | None = None) -> dict:
    """An Event with its status; several dates become sub-events of one event."""
    occurrences = (
        occurrences if occurrences is not None else list(page.occurrences.all())
    )
    status = EventStatus(page.status)
    data: dict = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": page.title,
        "url": public_url(page),
        "eventStatus": status.schema_org,
        "organizer": organisation(),
    }
    if page.teaser:
        data["description"] = page.teaser
    if occurrences:
        first = min(occurrences, key=lambda occ: occ.starts_at)
        last = max(occurrences, key=lambda occ: occ.ends_at)
        data["startDate"] = _moment(first, end=False)
        data["endDate"] = _moment(last, end=True)
        if len(occurrences) > 1:
            data["subEvent"] = [
                {
                    "@type": "Event",
                    "name": page.title,
                    "startDate": _moment(occ, end=False),
                    "endDate": _moment(occ, end=True),
                    "eventStatus": status.schema_org,
                }
                for occ in sorted(occurrences, key=lambda occ: occ.starts_at)
            ]
    location = event_location(page)
    if location:
        data["location"] = location
    if status == EventStatus.MOVED_ONLINE or (page.online_url and not page.venue):
        data["eventAttendanceMode"] = "https://schema.org/OnlineEventAttendanceMode"
    elif page.venue or page.city:
        data["eventAttendanceMode"] = "https://schema.org/OfflineEventAttendanceMode"
    if page.previous_start_date:
        data["previousStartDate"] = page.previous_start_date.isoformat()
    if page.audience:
        data["audience"] = {"@type": "Audience", "audienceType": page.audience}
    return data


def news_article(page) -> dict:
    published = dt.datetime.combine(page.date, dt.time(), BERLIN)
    data: dict = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": page.title[:110],
        "url": public_url(page),
        "mainEntityOfPage": public_url(page),
        "datePublished": published.isoformat(),
        "inLanguage": "de",
        "publisher": organisation(),
        "author": {"@type": "Organization", "name": page.source}
        if page.source
        else organisation(),
    }
    if page.last_published_at:
        data["dateModified"] = page.last_published_at.astimezone(BERLIN).isoformat()
    if page.teaser:
        data["description"] = page.teaser
    if page.original_url:
        data["isBasedOn"] = page.original_url
    return data
