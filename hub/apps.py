from django.apps import AppConfig


class HubConfig(AppConfig):
    """The project's own plumbing: the task worker and its scheduler lease."""

    name = "hub"
    verbose_name = "Betrieb"
    default_auto_field = "django.db.models.BigAutoField"
