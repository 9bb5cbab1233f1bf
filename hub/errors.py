"""Error answers Django gives outside any view: problem+json under /api/, its own pages
elsewhere; and no 500 from Django's slash redirect.

Wired in `hub.urls` (`handler400` … `handler500`) and in the settings
(`CSRF_FAILURE_VIEW`, `MIDDLEWARE`).
"""

from django.http import HttpRequest, HttpResponse
from django.middleware.common import CommonMiddleware
from django.views import csrf, defaults

from pages.api import problems

API_PREFIX = "/api/"


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A `SuspiciousOperation`: a disallowed Host, too many fields, a broken cookie …"""
    if is_api(request):
        return problems.bad_request(exception)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        return problems.problem(403, "Not allowed.")
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        return problems.not_found()
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        return problems.server_error()
    return defaults.server_error(request)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The API never uses cookies; a write to a path under /api/ is refused as JSON."""
    if is_api(request):
        return problems.problem(
            403, "Refused: this API is read-only and takes no form submissions."
        )
    return csrf.csrf_failure(request, reason)


class SlashRedirectMiddleware(CommonMiddleware):
    """Django's CommonMiddleware, redirecting to the slashed URL only for GET and HEAD.

    Django cannot redirect a POST without losing its body (in DEBUG it raises a
    RuntimeError, a 500); other methods get the 404 of the path they asked for.
    """

    def should_redirect_with_slash(self, request: HttpRequest) -> bool:
        return request.method in ("GET", "HEAD") and super().should_redirect_with_slash(
            request
        )
