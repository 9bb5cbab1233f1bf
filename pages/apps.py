from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Inhalte"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from wagtail.models import AbstractPage, Page
        from wagtail.permissions import register_permission_policy

        from . import (  # noqa: F401
            admin_dates,
            changes,
            permission_names,
            signal_handlers,
            sync,
            translation_signals,
            translations,
        )
        from .caching import checks, edge, receivers  # noqa: F401 - checks: registered
        from .models.editors import CityPagePermissionPolicy

        admin_dates.register()
        receivers.connect()
        edge.connect(changes.content_changed)
        sync.connect()
        translation_signals.connect()
        translations.connect()
        post_migrate.connect(sync.after_migrate, sender=self)
        post_migrate.connect(
            permission_names.rename_permissions, dispatch_uid="hub-german-permissions"
        )
        label_page_choosers()
        # City editors: Wagtail asks this policy for every page (docs/editing.md).
        register_permission_policy(AbstractPage, CityPagePermissionPolicy(Page))


def label_page_choosers() -> None:
    """Wagtail's group and workflow forms label their page field "Page" (from the field
    name, untranslated); screen readers in the admin read it out."""
    from django.utils.translation import gettext_lazy

    from wagtail.admin.forms.workflows import WorkflowPageForm
    from wagtail.users.forms import PagePermissionsForm

    for form in (WorkflowPageForm, PagePermissionsForm):
        form.base_fields["page"].label = gettext_lazy("Page")
