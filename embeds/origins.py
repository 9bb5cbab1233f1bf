"""Which partner origins may frame the embeds or fetch them, and the headers saying so.

Editors maintain the list (`EmbedSettings`). The headers depend on the request's
Origin and on that list, so they are added per request, never stored with a cached body.
"""

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from pages.caching import cache_key

from .models import EmbedSettings

CACHE_SECONDS = 60


def allowed_origins() -> tuple[str, ...]:
    """The configured origins; cached under the content version, which editors' saves
    replace (`pages.caching.receivers`)."""
    key = cache_key("embed-origins")
    origins: tuple[str, ...] | None = cache.get(key)
    if origins is None:
        settings_row = EmbedSettings.objects.order_by("pk").first()
        origins = tuple(settings_row.origins) if settings_row else ()
        cache.set(key, origins, CACHE_SECONDS)
    return origins


# The public pages' policy, but inline styles allowed (validated theme colours) and
# framing by the configured partners.
EMBED_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'"
)


def frame_ancestors(origins: tuple[str, ...]) -> str:
    return " ".join(("frame-ancestors", "'self'", *origins))


def embed_policy(origins: tuple[str, ...]) -> str:
    return f"{EMBED_POLICY}; {frame_ancestors(origins)}"


def add_embed_headers(
    request: HttpRequest, response: HttpResponse, *, cors: bool
) -> HttpResponse:
    """Frame only on allowed origins; echo an allowed Origin for cross-origin fetches."""
    origins = allowed_origins()
    response["Content-Security-Policy"] = embed_policy(origins)
    if "X-Frame-Options" in response:
        del response["X-Frame-Options"]
    response.xframe_options_exempt = True
    if cors:
        patch_vary_headers(response, ["Origin"])
        origin = request.headers.get("Origin", "")
        if origin and origin.lower() in origins:
            response["Access-Control-Allow-Origin"] = origin
            response["Access-Control-Expose-Headers"] = "ETag, Last-Modified"
        else:
            for name in (
                "Access-Control-Allow-Origin",
                "Access-Control-Allow-Credentials",
            ):
                if name in response:
                    del response[name]
    return response
