from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Partners' iCal feeds, fetched on the queue into draft events (docs/calendar-import.md)."""

    name = "imports"
    verbose_name = "Kalender-Import"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from hub.scheduler import periodic

        from .importer import enqueue_due

        periodic.connect(enqueue_due, dispatch_uid="imports.enqueue_due")
