"""Test settings: fast hashing, local-memory cache, plain static storage."""

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret"  # noqa: S105 - tests only  # nosec B105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
HUB_DEMO_EDITOR = True
# The tests know the seed's own dates (pages/demo/content.yaml).
HUB_DEMO_DATES = "seed"
# Webhooks to a local receiver (http://127.0.0.1:…); production keeps both off.
HUB_OUTBOUND_ALLOW_PRIVATE = True
HUB_WEBHOOKS_ALLOW_HTTP = True
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Whole test modules talk to the API from one address; rate-limit tests lower this.
HUB_RATE_LIMIT_REQUESTS = 100_000
# Serve static files straight from the finders; tests never run collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tasks run in the test's own process at once (after the commit when enqueued with
# hub.tasks.enqueue_on_commit); tests of the queue itself (tests/propagation) use the
# database backend and a real `run_worker` process.
TASKS = {
    alias: {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    for alias in ("default", "queue")
}
