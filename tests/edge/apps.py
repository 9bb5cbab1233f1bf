from importlib.util import find_spec

from django.apps import AppConfig


class EdgeWiringConfig(AppConfig):
    """Connects the purge receiver in the live test's servers and writers, until
    `PagesConfig.ready()` calls `pages.caching.edge.connect()` itself (connecting
    twice is harmless: one dispatch uid)."""

    name = "tests.edge"
    label = "edge_live"

    def ready(self):
        from pages.caching import edge

        if find_spec("pages.changes") is not None:
            from pages.changes import content_changed

            edge.connect(content_changed)
