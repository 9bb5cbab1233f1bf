"""Thin feed views: check the request, then let `serve_cached` answer from data validators."""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import translation
from django.views.decorators.http import require_safe

from pages import items, sections
from pages.caching import serve_cached, shared_query_string
from pages.filters import InvalidParameters

from . import websub
from .builders import BUILDERS
from .content import FEED_RELATIONS, ITEM_LIMIT, parse_query

MAX_AGE = 300


@require_safe
def feed(request: HttpRequest, section: str, format: str) -> HttpResponse:
    """`/feeds/{section}.{format}` of CONTRACT.md, filtered like the API."""
    try:
        listed = sections.by_feed_name(section)
    except sections.UnknownSection:
        raise Http404("Diesen Feed gibt es nicht.") from None
    if format not in BUILDERS:
        raise Http404("Diesen Feed gibt es nicht.")
    calendar = format == sections.CALENDAR_FORMAT
    if format not in listed.feed_formats:
        raise Http404("Kalender gibt es nur für Veranstaltungen.")
    try:
        query = parse_query(listed, request.GET, calendar=calendar)
    except InvalidParameters as error:
        return bad_request(error)
    query_string = shared_query_string(request)
    builder_class = BUILDERS[format]

    def render() -> tuple[bytes, str]:
        ids = items.slice_of(query.queryset(), 0, ITEM_LIMIT).ids
        # The feed's words and dates in its language; links in bodies to its pages.
        with translation.override(query.language):
            loaded = items.load_ids(
                ids, FEED_RELATIONS, body=True, language=query.language
            )
            builder = builder_class(
                listed, loaded, query_string, language=query.language
            )
            return builder.render(), builder.content_type

    return serve_cached(
        request,
        render=render,
        max_age=MAX_AGE,
        headers=websub.link_headers(listed, format, query_string),
    )


def bad_request(error: InvalidParameters) -> HttpResponse:
    lines = ["Dieser Feed kann mit diesen Parametern nicht erstellt werden:", ""]
    lines += [f"- {name}: {message}" for name, message in error.errors.items()]
    return HttpResponseBadRequest(
        "\n".join(lines) + "\n", content_type="text/plain; charset=utf-8"
    )
