"""`/api/v1/preview/<token>/`: a draft's detail representation for a partner, through a
signed link an editor made in the admin (docs/preview.md).

The answer has the shape of `/api/v1/{section}/{id}/`, built from the page's latest
revision. It is private: never stored by the response cache, an HTTP cache or a
browser, never indexed, and listed nowhere (not in the API index, not in OpenAPI).
"""

from django.http import HttpRequest, HttpResponse

from pages import preview

from . import problems
from .schemas import SHAPES
from .views import render_json

NO_STORE = "private, no-store"


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = NO_STORE
    response["X-Robots-Tag"] = "noindex"
    return response


def preview_detail(request: HttpRequest, token: str) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return _private(problems.method_not_allowed())
    try:
        page_id = preview.read_token(token)
    except preview.ExpiredToken:
        return _private(
            problems.problem(
                410, "This preview link has expired; ask the editors for a new one."
            )
        )
    except preview.InvalidToken:
        return _private(problems.not_found("No such preview."))
    draft = preview.draft_of(page_id)
    section = preview.section_of(draft) if draft is not None else None
    if draft is None or section is None:
        return _private(problems.not_found("No such preview."))
    body, content_type = render_json(
        SHAPES[section].detail_shape.from_row(preview.item_of(draft))
    )
    response = HttpResponse(
        b"" if request.method == "HEAD" else body, content_type=content_type
    )
    response["Content-Length"] = str(len(body))
    return _private(response)
