"""Settings of the app instances behind Varnish in tests/edge/test_varnish.py: the
production settings, static files collected into the test's own directory."""

import os
from pathlib import Path

from hub.settings.production import *  # noqa: F403

STATIC_ROOT = Path(os.environ["HUB_STATIC_ROOT"])
