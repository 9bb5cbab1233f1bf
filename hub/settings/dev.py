"""Local development: debug on, a throwaway secret, demo editor allowed."""

from urllib.parse import urlsplit

from .base import *  # noqa: F403
from .base import SITE_BASE_URL, email_config, env_list

DEBUG = True
SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - development only  # nosec B105
# The host links point to is always accepted (`make run HOST=… PORT=…` sets
# SITE_BASE_URL; on 0.0.0.0 it also sets ALLOWED_HOSTS=* for other machines).
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or [
    "localhost",
    "127.0.0.1",
    "[::1]",
    "testserver",
    urlsplit(SITE_BASE_URL).hostname or "localhost",
]
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "whitenoise.storage.CompressedManifestStaticFilesStorage"
)
HUB_DEMO_EDITOR = True
# Mail goes to the console (`make run` prints workflow notifications) unless EMAIL_URL
# or EMAIL_HOST says otherwise, e.g. EMAIL_URL=file:///tmp/hub-mail to keep them.
globals().update(
    email_config(default_backend="django.core.mail.backends.console.EmailBackend")
)
# Webhooks to a local receiver (http://127.0.0.1:…); production keeps both off.
HUB_OUTBOUND_ALLOW_PRIVATE = True
HUB_WEBHOOKS_ALLOW_HTTP = True
