from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Inhalte"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import admin_dates, changes, permission_names, signal_handlers, sync  # noqa: F401
        from .caching import checks, edge, receivers  # noqa: F401 - checks: registered

        admin_dates.register()
        receivers.connect()
        edge.connect(changes.content_changed)
        sync.connect()
        post_migrate.connect(sync.after_migrate, sender=self)
        post_migrate.connect(
            permission_names.rename_permissions, dispatch_uid="hub-german-permissions"
        )
