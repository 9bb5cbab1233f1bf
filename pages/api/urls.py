"""Routes of /api/v1/; anything else under it is a problem+json 404."""

from django.urls import include, path, re_path

from drf_spectacular.views import SpectacularAPIView

from pages.api import problems, views

DETAIL = r"(?P<id>[0-9]{1,18})/$"
PUBLIC = {"authentication_classes": [], "permission_classes": []}

v1_patterns = [
    path("events/", views.EventList.as_view(), name="event-list"),
    re_path(r"^events/" + DETAIL, views.EventDetail.as_view(), name="event-detail"),
    path("press/", views.PressList.as_view(), name="press-list"),
    re_path(r"^press/" + DETAIL, views.PressDetail.as_view(), name="press-detail"),
    path("programmes/", views.ProgrammeList.as_view(), name="programme-list"),
    re_path(
        r"^programmes/" + DETAIL,
        views.ProgrammeDetail.as_view(),
        name="programme-detail",
    ),
    path("newsletters/", views.NewsletterList.as_view(), name="newsletter-list"),
    re_path(
        r"^newsletters/" + DETAIL,
        views.NewsletterDetail.as_view(),
        name="newsletter-detail",
    ),
    path("items/", views.ItemList.as_view(), name="item-list"),
    path("cities/", views.CityList.as_view(), name="city-list"),
    path("target-groups/", views.TargetGroupList.as_view(), name="target-group-list"),
    path("topics/", views.TopicList.as_view(), name="topic-list"),
    path(
        "schema/",
        SpectacularAPIView.as_view(urlconf="pages.api.urls", **PUBLIC),
        name="schema",
    ),
    path(
        "docs/",
        views.DocsView.as_view(url_name="api-v1:schema"),
        name="docs",
    ),
    re_path(r"^", problems.not_found_view),
]

urlpatterns = [path("api/v1/", include((v1_patterns, "api-v1")))]
