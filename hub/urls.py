import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from hub.media_files import public_media_file
from pages.api import problems as api_problems
from pages.api.v2 import router as api_v2_router
from pages.sitemap import sitemap

handler400 = "hub.errors.bad_request"
handler403 = "hub.errors.permission_denied"
handler404 = "hub.errors.page_not_found"
handler500 = "hub.errors.server_error"

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("feeds/", include("feeds.urls")),
    path("sitemap.xml", sitemap),
    path("embed/", include("embeds.urls")),
    path("", include("pages.api.urls")),
    path("api/v2/", api_v2_router.urls),
    re_path(r"^api/", api_problems.not_found_view),
]

if settings.MEDIA_URL.startswith("/"):
    # Never Django's `static()` over the media root: it would serve private documents.
    urlpatterns += [
        re_path(
            rf"^{re.escape(settings.MEDIA_URL[1:])}(?P<path>.+)$", public_media_file
        )
    ]

if getattr(settings, "HUB_DEMO_EDITOR", False):
    # The demo's sample partner calendar, which its calendar import fetches.
    urlpatterns += [path("", include("imports.urls"))]

# Pages: German without a prefix (the contract's URLs), every other language under
# its tag (`/ar/veranstaltungen/…`), activated by hub.middleware.PathLanguageMiddleware.
urlpatterns += i18n_patterns(
    path("", include(wagtail_urls)), prefix_default_language=False
)
