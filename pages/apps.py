from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Inhalte"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Connect the cache invalidation and publishing signals.
        from . import cache, signal_handlers  # noqa: F401
