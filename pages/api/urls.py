"""Routes of /api/v1/: the index, one list (and detail) per section; anything else is a
problem+json 404."""

from django.urls import include, path, re_path

from pages import sections
from pages.api import changes, index, openapi, preview, problems, views

DETAIL = r"(?P<id>[0-9]{1,18})/$"


def _name(route: str) -> str:
    return route.removeprefix("api-v1:")


v1_patterns = [
    path("", index.IndexView.as_view(), name="index"),
    *(
        path(
            f"{section.name}/",
            views.ContentListView.as_view(section=section),
            name=_name(section.api_list_route),
        )
        for section in (*sections.SECTIONS, sections.ALL_ITEMS)
    ),
    *(
        re_path(
            rf"^{section.name}/{DETAIL}",
            views.ContentDetailView.as_view(section=section),
            name=_name(section.api_detail_route),
        )
        for section in sections.SECTIONS
    ),
    *(
        path(
            f"{taxonomy.path}/",
            views.TaxonomyListView.as_view(model=taxonomy.model),
            name=taxonomy.route,
        )
        for taxonomy in views.TAXONOMIES
    ),
    path("languages/", views.LanguageListView.as_view(), name="language-list"),
    path("changes/", changes.ChangeFeedView.as_view(), name="changes"),
    # Private: a draft for a partner, through a signed link (docs/preview.md); not in
    # the index or the OpenAPI document.
    re_path(
        r"^preview/(?P<token>[A-Za-z0-9_.:-]{1,2000})/$",
        preview.preview_detail,
        name="preview",
    ),
    path("schema/", openapi.SchemaView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(url_name="api-v1:schema"), name="docs"),
    re_path(r"^", problems.not_found_view),
]

urlpatterns = [path("api/v1/", include((v1_patterns, "api-v1")))]
