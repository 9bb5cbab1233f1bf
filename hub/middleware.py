"""Security headers, rate limiting of the public machine surfaces, login throttling.

Early answers from the response store are `pages.caching.CachedResponseMiddleware`."""

import math
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from pages.api import problems

from . import throttle
from .security import rate_limit_retry_after

# Public pages: our own CSS, images and scripts only; no plugins; nobody may frame them.
PAGE_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# Data (JSON, XML, calendars, files) is never a document: nothing may run or frame it.
DATA_POLICY = "default-src 'none'; frame-ancestors 'none'"
# Embeds: the page policy without frame-ancestors, which the embed view sets per origin.
EMBED_POLICY = PAGE_POLICY.removesuffix("; frame-ancestors 'none'")
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), browsing-topics=()"
)
EMBED_PREFIX = "/embed/"
# Wagtail's preview of a draft: shown in the admin's own side panel, framed by no one else.
PREVIEW_FRAMING = "frame-ancestors 'self'"
PREVIEW_CACHE_CONTROL = "private, no-store"

Middleware = Callable[[HttpRequest], HttpResponse]


class PathLanguageMiddleware:
    """Activates the language the URL names, and nothing else decides it.

    Public pages in other languages than German live under `/<tag>/` (`/ar/…`,
    `/de-x-ls/…`, hub/urls.py); every other URL is German here, and the API, feeds and
    embeds choose their content language by the `lang` parameter. Unlike Django's
    LocaleMiddleware it never reads Accept-Language or a cookie, never redirects and
    never adds `Vary`, so one URL is one answer for every cache (docs/languages.md).
    The admin then switches to each editor's own admin language itself.
    """

    def __init__(self, get_response: Middleware):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        prefixed = translation.get_language_from_path(request.path_info)
        language = prefixed or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if prefixed and prefixed != settings.LANGUAGE_CODE:
            response.setdefault("Content-Language", prefixed)
        return response


class SecurityHeadersMiddleware:
    """CSP and Permissions-Policy on every response outside the admin.

    A view that sets its own Content-Security-Policy keeps it (the embeds set
    frame-ancestors per configured partner origin). Embed routes are the only ones that
    may be framed, so they are exempted from X-Frame-Options here; this middleware sits
    below Django's XFrameOptionsMiddleware, whose response hook therefore runs after it.
    HSTS, nosniff, Referrer-Policy and COOP come from Django's SecurityMiddleware (HSTS
    only on HTTPS requests, with `SECURE_HSTS_SECONDS` set in production).
    """

    def __init__(self, get_response: Middleware):
        self.get_response = get_response
        self.admin_prefix = reverse("wagtailadmin_home")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        path = request.path_info
        if getattr(request, "is_preview", False):
            return preview_headers(response)
        if path.startswith(self.admin_prefix):
            return response
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if path.startswith(EMBED_PREFIX):
            response.xframe_options_exempt = True
            response.setdefault("Content-Security-Policy", EMBED_POLICY)
            return response
        content_type = response.get("Content-Type", "")
        response.setdefault(
            "Content-Security-Policy",
            PAGE_POLICY if content_type.startswith("text/html") else DATA_POLICY,
        )
        return response


def preview_headers(response: HttpResponse) -> HttpResponse:
    """A preview render (Wagtail's dummy request to the page's URL, `is_preview`): the
    page's policy, but framed by the admin's own origin only, and never stored.

    The admin shows it in the preview panel's iframe; the same response opens in a new
    tab. It shows a draft to a signed-in editor: no shared or browser cache keeps it,
    no search engine indexes it.
    """
    html = response.get("Content-Type", "").startswith("text/html")
    own = response.get("Content-Security-Policy") or (
        PAGE_POLICY if html else DATA_POLICY
    )
    directives = [
        directive.strip()
        for directive in own.split(";")
        if directive.strip() and not directive.strip().startswith("frame-ancestors")
    ]
    response["Content-Security-Policy"] = "; ".join([*directives, PREVIEW_FRAMING])
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["Cache-Control"] = PREVIEW_CACHE_CONTROL
    response["X-Robots-Tag"] = "noindex"
    response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    return response


class RateLimitMiddleware:
    """Per-client request limit on the API, feeds and embeds (429 with Retry-After).

    Sits below CorsMiddleware so a partner's browser can read the 429.
    """

    def __init__(self, get_response: Middleware):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(settings.HUB_RATE_LIMITED_PATHS):
            retry_after = rate_limit_retry_after(request)
            if retry_after is not None:
                return too_many_requests(request, retry_after)
        return self.get_response(request)


def too_many_requests(request: HttpRequest, retry_after: int) -> HttpResponse:
    detail = (
        f"At most {settings.HUB_RATE_LIMIT_REQUESTS} requests per "
        f"{settings.HUB_RATE_LIMIT_WINDOW} seconds; retry after {retry_after} seconds."
    )
    if request.path_info.startswith("/api/"):
        response = problems.problem(429, detail)
    else:
        response = HttpResponse(
            detail, content_type="text/plain; charset=utf-8", status=429
        )
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


class LoginThrottleMiddleware:
    """Refuses password guessing on every route that checks a secret (`hub.throttle`).

    Sits below AuthenticationMiddleware (changing one's password is counted for the
    signed-in user) and below CsrfViewMiddleware (a forged form tries nothing). Its
    `process_view` refuses a locked attempt before the view runs; after the view it
    counts a failure, answers 429 for a check the authentication backend refused, and
    marks the browser of a successful sign-in as a known device.
    """

    def __init__(self, get_response: Middleware):
        self.get_response = get_response
        self.admin_prefix = reverse("wagtailadmin_home")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        retry_after = throttle.settle(request, response)
        if retry_after is not None:
            return login_throttled(request, retry_after)
        throttle.remember_device(request, response)
        return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        username = throttle.attempted_username(
            request, view_func, view_kwargs, self.admin_prefix
        )
        if username is None:
            return None
        retry_after = throttle.begin_attempt(request, username)
        return None if retry_after is None else login_throttled(request, retry_after)


def login_throttled(request: HttpRequest, retry_after: int) -> HttpResponse:
    """429 for a refused attempt: a German page, problem+json under /api/."""
    if request.path_info.startswith("/api/"):
        response = problems.problem(
            429,
            f"Too many failed sign-in attempts; retry after {retry_after} seconds.",
        )
    else:
        response = HttpResponse(
            render_to_string(
                "security/login_throttled.html",
                {"wait": german_duration(retry_after), "back_url": request.path},
                request=request,
            ),
            status=429,
        )
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def german_duration(seconds: int) -> str:
    """'eine Minute', '15 Minuten', '30 Sekunden' — for the German refusal page."""
    if seconds < 60:
        return "eine Sekunde" if seconds == 1 else f"{seconds} Sekunden"
    minutes = math.ceil(seconds / 60)
    return "eine Minute" if minutes == 1 else f"{minutes} Minuten"
