from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    """Partners' webhook endpoints, managed in the admin, fed by `items_changed`."""

    name = "webhooks"
    verbose_name = "Webhooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from hub.scheduler import periodic
        from pages.sync_events import items_changed

        from .delivery import on_items_changed, requeue_stalled

        items_changed.connect(on_items_changed, dispatch_uid="webhooks.deliveries")
        periodic.connect(requeue_stalled, dispatch_uid="webhooks.requeue_stalled")
