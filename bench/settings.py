"""Production settings plus the benchmark's references (stock Wagtail API v2, a syndication feed, a static file).

Only the benchmark uses this module: `bench/run.py` serves it under gunicorn and
`generate_bench_data` builds its data with it. The environment defaults make it start
without a deployment's secrets; a real deployment never points at it.
"""

import os
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
CACHE_DIR = BENCH_DIR / ".cache"

os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 60)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# Rate limiting stays in the stack (its cost counts) but must not answer wrk with 429.
os.environ.setdefault("HUB_RATE_LIMIT_REQUESTS", "1000000000")
os.environ.setdefault("MEDIA_ROOT", str(CACHE_DIR / "media"))

from hub.settings.production import *  # noqa: E402, F403

INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.api.v2", "bench"]  # noqa: F405
ROOT_URLCONF = "bench.urls"
# Figures comparable from run to run: the demo keeps the seed's own dates.
HUB_DEMO_DATES = "seed"

# The static reference: a file written by the harness before the server starts.
WHITENOISE_ROOT = os.environ.get("BENCH_STATIC_ROOT", str(CACHE_DIR / "www"))
STATIC_ROOT = CACHE_DIR / "static"
# Plain storage, so the benchmark needs no collectstatic run.
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
