"""Production settings, except that the hub may fetch from this machine: the browser
tests' partner calendars are served on 127.0.0.1, which production refuses (SSRF)."""

from hub.settings.production import *  # noqa: F403

HUB_OUTBOUND_ALLOW_PRIVATE = True
