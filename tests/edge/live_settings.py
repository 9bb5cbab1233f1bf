"""Settings of the app instances behind Varnish in tests/edge/test_varnish.py: the
production settings, static files collected into the test's own directory."""

import os
from pathlib import Path

from hub.settings.production import *  # noqa: F403
from hub.settings.production import INSTALLED_APPS

STATIC_ROOT = Path(os.environ["HUB_STATIC_ROOT"])
# Connects the edge's purge receiver (pages.caching.edge.connect) to
# pages.changes.content_changed once that exists, until PagesConfig.ready() does.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.edge.apps.EdgeWiringConfig"]
