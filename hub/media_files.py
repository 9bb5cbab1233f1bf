"""Uploaded files under `MEDIA_URL`, served only when `pages.media` says they are public.

Documents live below the media root too, but are never served from it: links point at
Wagtail's document view (`WAGTAILDOCS_SERVE_METHOD = "serve_view"`), which asks for the
collection's password or login first. A plain static route over the media root (Django's
`static()` helper in development, or a web server aliasing the folder) would hand out
private documents, and private images with their renditions, to anyone who knows or
guesses a file name.
"""

from django.conf import settings
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_safe
from django.views.static import serve

from pages.media import is_public_file


@require_safe
def public_media_file(request: HttpRequest, path: str) -> HttpResponseBase:
    """A public image's original or rendition; 404 for anything else, documents included.

    Editors (admin access) also get private images' files, for the admin's thumbnails;
    the user is asked only then, so public files carry no `Vary: Cookie`.
    """
    if not is_public_file(path) and not _may_see_private_images(request, path):
        raise Http404
    return serve(request, path, document_root=str(settings.MEDIA_ROOT))


def _may_see_private_images(request: HttpRequest, path: str) -> bool:
    return not path.startswith(PRIVATE_ONLY) and request.user.has_perm(
        "wagtailadmin.access_admin"
    )


PRIVATE_ONLY = ("documents/",)
"""Folders nobody gets from here: documents always go through Wagtail's view."""
