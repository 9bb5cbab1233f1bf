"""The hub's URLs plus the references, mounted under `/bench/` (bench settings only)."""

from django.urls import path

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from hub.urls import urlpatterns as hub_urlpatterns

from .references import AtomEventsFeed, EventsFeed, declare_v2_fields

declare_v2_fields()

stock_v2 = WagtailAPIRouter("bench_wagtailapi")
stock_v2.register_endpoint("pages", PagesAPIViewSet)

urlpatterns = [
    path("bench/v2/", stock_v2.urls),
    path("bench/syndication/events.rss", EventsFeed()),
    path("bench/syndication/events.atom", AtomEventsFeed()),
    *hub_urlpatterns,
]
