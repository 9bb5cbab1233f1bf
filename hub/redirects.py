"""Wagtail's redirects, followed only to places the public may see.

Wagtail creates a redirect whenever an editor moves a page or changes its slug, and
answers every 404 on the old path with it. A redirect to a page that is not visible now
(draft, restricted, expired, below an unpublished page, another site) would hand out the
page's new address; such a redirect leaves the 404 as it is. Redirects to an external
link are the editors' explicit choice and stay.
"""

from urllib.parse import urlparse

from django import http
from django.http import HttpRequest, HttpResponse

from wagtail.contrib.redirects.middleware import RedirectMiddleware, get_redirect
from wagtail.contrib.redirects.models import Redirect

from pages.queries import all_pages


def public_target(redirect: Redirect) -> str | None:
    """Where `redirect` sends the public, or None if that is no visible page."""
    if redirect.redirect_page_id is not None:
        visible = all_pages().visible().filter(pk=redirect.redirect_page_id)
        if not visible.exists():
            return None
    link: str | None = redirect.link
    return link


class PublicRedirectMiddleware(RedirectMiddleware):
    """Wagtail's `RedirectMiddleware`, asking `public_target` before it redirects."""

    def process_response(
        self, request: HttpRequest, response: HttpResponse
    ) -> HttpResponse:
        if response.status_code != 404:
            return response
        path = Redirect.normalise_path(request.get_full_path(), decode_unicode=False)
        redirect = get_redirect(request, path)
        if redirect is None and path != urlparse(path).path:
            redirect = get_redirect(request, urlparse(path).path)
        if redirect is None:
            return response
        target = public_target(redirect)
        if target is None:
            return response
        if redirect.is_permanent:
            return http.HttpResponsePermanentRedirect(target)
        return http.HttpResponseRedirect(target)
