"""German names for Django's model permissions ("Can add Stadt" → "Stadt hinzufügen").

Django names the add/change/delete/view permissions in English from the model's raw
verbose name; Wagtail's group editor and user views show those names to editors.
"""

from typing import Any

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.contrib.auth import get_permission_codename
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Permission
from django.utils import translation

VERBS = {
    "add": "hinzufügen",
    "change": "ändern",
    "delete": "löschen",
    "view": "ansehen",
}
# Wagtail's own permissions beyond add/change/delete/view, shown in the group editor.
CUSTOM_NAMES = {
    ("wagtailadmin", "access_admin"): "Zugang zum Redaktionsbereich",
    ("wagtailcore", "bulk_delete_page"): "Seiten mit Unterseiten löschen",
    ("wagtailcore", "lock_page"): "Seiten sperren und selbst gesperrte entsperren",
    ("wagtailcore", "publish_page"): "Jede Seite veröffentlichen",
    ("wagtailcore", "unlock_page"): "Jede Seite entsperren",
    ("wagtaildocs", "choose_document"): "Dokumente in Auswahldialogen auswählen",
    ("wagtailimages", "choose_image"): "Bilder in Auswahldialogen auswählen",
    ("wagtail_localize", "submit_translation"): "Seiten und Einträge übersetzen",
}


def german_name(verbose_name: str, action: str) -> str:
    return f"{verbose_name[:1].upper()}{verbose_name[1:]} {VERBS[action]}"


def rename_permissions(
    sender: AppConfig, using: str = "default", **kwargs: Any
) -> None:
    """After `migrate`: the app's default permissions (created first) get German names."""
    create_permissions(
        sender, verbosity=0, using=using, apps=kwargs.get("apps", global_apps)
    )
    with translation.override("de"):
        for model in sender.get_models():
            opts = model._meta
            for action in opts.default_permissions:
                if action not in VERBS:
                    continue
                Permission.objects.using(using).filter(
                    content_type__app_label=opts.app_label,
                    content_type__model=opts.model_name,
                    codename=get_permission_codename(action, opts),
                    name=f"Can {action} {opts.verbose_name_raw}",
                ).update(name=german_name(str(opts.verbose_name), action)[:255])
    for (app_label, codename), name in CUSTOM_NAMES.items():
        if app_label == sender.label:
            Permission.objects.using(using).filter(
                content_type__app_label=app_label, codename=codename
            ).update(name=name)
