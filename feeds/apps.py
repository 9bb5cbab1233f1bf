from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "feeds"
    verbose_name = "Feeds"

    def ready(self):
        from pages.changes import content_changed

        from . import websub

        websub.connect(content_changed)
