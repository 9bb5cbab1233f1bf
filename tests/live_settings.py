"""Settings of the server and worker processes that tests/live.py starts.

The test settings, but as deployed in the ways that matter across processes: the
cache from the environment (Redis when `REDIS_URL` is set, else per process), tasks
in the database queue worked off by `run_worker`, and logs on stderr.
"""

import os
from pathlib import Path

from hub.settings.base import cache_config
from hub.settings.test import *  # noqa: F403

CACHES = {"default": cache_config()}
if "HUB_LIVE_CACHE_PREFIX" in os.environ:
    # Parallel sessions share one Redis database; each live database has its own keys.
    CACHES["default"]["KEY_PREFIX"] = os.environ["HUB_LIVE_CACHE_PREFIX"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", MEDIA_ROOT))  # noqa: F405
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "queue": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"wagtail": {"level": "WARNING"}},
}
