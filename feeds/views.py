"""Thin feed views: check the request, then let `serve_cached` answer from data validators."""

import functools

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.views.decorators.http import require_safe

from pages.filters import InvalidParameters
from pages.http import Fingerprint, serve_cached

from .builders import BUILDERS
from .content import (
    CALENDAR_SECTIONS,
    SECTIONS,
    canonical_query_string,
    load_items,
    parse_query,
)

MAX_AGE = 300


@require_safe
def feed(request: HttpRequest, section: str, format: str) -> HttpResponse:
    """`/feeds/{section}.{format}` of CONTRACT.md, filtered like the API."""
    calendar = format == "ics"
    if section not in SECTIONS or format not in BUILDERS:
        raise Http404("Diesen Feed gibt es nicht.")
    if calendar and section not in CALENDAR_SECTIONS:
        raise Http404("Kalender gibt es nur für Veranstaltungen.")
    try:
        query = parse_query(section, request.GET, calendar=calendar)
    except InvalidParameters as error:
        return bad_request(error)
    query_string = canonical_query_string(request.GET)
    builder_class = BUILDERS[format]
    # Built on first use (a cache hit needs none) and once for fingerprint and items.
    queryset = functools.cache(query.queryset)

    def render() -> tuple[bytes, str]:
        builder = builder_class(section, load_items(queryset()), query_string)
        return builder.render(), builder.content_type

    return serve_cached(
        request,
        fingerprint=lambda: Fingerprint.of_queryset(queryset()),
        render=render,
        max_age=MAX_AGE,
    )


def bad_request(error: InvalidParameters) -> HttpResponse:
    lines = ["Dieser Feed kann mit diesen Parametern nicht erstellt werden:", ""]
    lines += [f"- {name}: {message}" for name, message in error.errors.items()]
    return HttpResponseBadRequest(
        "\n".join(lines) + "\n", content_type="text/plain; charset=utf-8"
    )
