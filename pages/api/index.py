"""`/api/v1/`: an index of the endpoints with absolute URLs, the docs and the schema, so a
client (or a person with curl) starts from one URL instead of a 404."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from pages import sections
from pages.api import problems
from pages.api.schemas import ApiIndex, Endpoint
from pages.api.views import MAX_AGE, TAXONOMIES, PublicAPIView, render_json
from pages.caching import serve_cached
from pages.links import absolute

CHANGES_DESCRIPTION = (
    "Change feed: without `cursor` everything visible now plus a cursor; with `cursor` "
    "what changed since (items, and `deleted` entries for what left public view)."
)


def _detail_template(section: sections.Section) -> str:
    placeholder = "987654321"
    path = reverse(section.api_detail_route, args=[placeholder])
    return absolute(path.replace(placeholder, "{id}"))


def endpoints() -> list[Endpoint]:
    """Every endpoint, in the order of the section registry, then taxonomies and the
    change feed."""
    listed = [
        Endpoint(
            name=section.name,
            url=absolute(reverse(section.api_list_route)),
            description=section.api_description,
            detail=(
                None if section is sections.ALL_ITEMS else _detail_template(section)
            ),
        )
        for section in (*sections.SECTIONS, sections.ALL_ITEMS)
    ]
    listed += [
        Endpoint(
            name=taxonomy.path,
            url=absolute(reverse(f"api-v1:{taxonomy.route}")),
            description=f"Every term of {taxonomy.name}: slug (for filters) and name.",
            detail=None,
        )
        for taxonomy in TAXONOMIES
    ]
    listed.append(
        Endpoint(
            name="languages",
            url=absolute(reverse("api-v1:language-list")),
            description="Every language offered: the values of `lang`, with names and "
            "text direction.",
            detail=None,
        )
    )
    listed.append(
        Endpoint(
            name="changes",
            url=absolute(reverse("api-v1:changes")),
            description=CHANGES_DESCRIPTION,
            detail=None,
        )
    )
    return listed


def api_index() -> ApiIndex:
    info = settings.SPECTACULAR_SETTINGS
    return ApiIndex(
        title=str(info["TITLE"]),
        version=str(info["VERSION"]),
        docs=absolute(reverse("api-v1:docs")),
        schema=absolute(reverse("api-v1:schema")),
        endpoints=endpoints(),
    )


class IndexView(PublicAPIView):
    """The index; it reads no content, so it is the same until the next deployment."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if request.GET:
            return problems.invalid_parameters(
                dict.fromkeys(request.GET, "Unknown parameter.")
            )
        return serve_cached(
            request,
            render=lambda: render_json(api_index()),
            last_modified=lambda: None,
            max_age=MAX_AGE,
        )
