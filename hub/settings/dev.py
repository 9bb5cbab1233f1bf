"""Local development: debug on, a throwaway secret, demo editor allowed."""

from .base import *  # noqa: F403
from .base import env_list

DEBUG = True
SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - development only  # nosec B105
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "whitenoise.storage.CompressedManifestStaticFilesStorage"
)
HUB_DEMO_EDITOR = True
# Webhooks to a local receiver (http://127.0.0.1:…); production keeps both off.
HUB_OUTBOUND_ALLOW_PRIVATE = True
HUB_WEBHOOKS_ALLOW_HTTP = True
