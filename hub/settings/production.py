"""Production: secrets and hosts must come from the environment; HTTPS enforced; a
cache shared by every serving process; an optional HTTP cache in front
(docs/edge-caching.md)."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import CACHES, SECRET_KEY, env_bool, env_list

if not SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to at least 50 random characters."
    )

HUB_DEMO_EDITOR = False

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
X_FRAME_OPTIONS = "DENY"
# Webhooks (hub.outbound): https only, never to private, loopback or link-local addresses.
HUB_OUTBOUND_ALLOW_PRIVATE = False
HUB_WEBHOOKS_ALLOW_HTTP = False


def serving_processes() -> int:
    """How many processes answer requests: `HUB_PROCESSES` (every instance's workers
    together) when set, else gunicorn's `WEB_CONCURRENCY`, else one."""
    for name in ("HUB_PROCESSES", "WEB_CONCURRENCY"):
        value = os.environ.get(name, "").strip()
        if value:
            if not value.isdigit() or int(value) < 1:
                raise ImproperlyConfigured(f"{name} must be a whole number ≥ 1.")
            return int(value)
    return 1


PROCESS_LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)
if serving_processes() > 1 and CACHES["default"]["BACKEND"] in PROCESS_LOCAL_CACHES:
    raise ImproperlyConfigured(
        f"{serving_processes()} processes serve, but the cache "
        f"({CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}) is private to each "
        "process: set REDIS_URL (or CACHE_URL) to a shared redis:// server."
    )

# The HTTP cache in front of the app (pages.caching.edge): which one, and how to purge.
HUB_EDGE_BACKEND = os.environ.get("HUB_EDGE_BACKEND", "none").strip() or "none"
HUB_EDGE_PURGE_URLS = env_list("HUB_EDGE_PURGE_URLS")
HUB_EDGE_SERVICE = os.environ.get("HUB_EDGE_SERVICE", "")
HUB_EDGE_TOKEN = os.environ.get("HUB_EDGE_TOKEN", "")
HUB_EDGE_API_URL = os.environ.get("HUB_EDGE_API_URL", "")
HUB_EDGE_PAGE_MAX_AGE = int(os.environ.get("HUB_EDGE_PAGE_MAX_AGE", "300"))
HUB_EDGE_TIMEOUT = float(os.environ.get("HUB_EDGE_TIMEOUT", "5"))
HUB_EDGE_REPURGE_AFTER = float(os.environ.get("HUB_EDGE_REPURGE_AFTER", "10"))

EDGE_NEEDS = {
    "none": (),
    "varnish": ("HUB_EDGE_PURGE_URLS",),
    "fastly": ("HUB_EDGE_SERVICE", "HUB_EDGE_TOKEN"),
    "cloudflare": ("HUB_EDGE_SERVICE", "HUB_EDGE_TOKEN"),
}
if HUB_EDGE_BACKEND not in EDGE_NEEDS:
    raise ImproperlyConfigured(
        f"HUB_EDGE_BACKEND={HUB_EDGE_BACKEND!r}: use one of {', '.join(EDGE_NEEDS)}."
    )
if missing := [name for name in EDGE_NEEDS[HUB_EDGE_BACKEND] if not globals()[name]]:
    raise ImproperlyConfigured(
        f"HUB_EDGE_BACKEND={HUB_EDGE_BACKEND} needs {' and '.join(missing)}."
    )
