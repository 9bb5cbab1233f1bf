"""Every existing directory entry is German: the default locale and a fresh
translation key each (Wagtail's documented route for making models translatable)."""

import uuid

from django.conf import settings
from django.db import migrations

MODELS = ("City", "TargetGroup", "Topic", "Venue")


def german_entries(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    german, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    for name in MODELS:
        model = apps.get_model("pages", name)
        for entry in model.objects.filter(translation_key__isnull=True):
            entry.translation_key = uuid.uuid4()
            entry.locale = german
            entry.save(update_fields=["translation_key", "locale"])


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0015_directory_bootstrap_translatable"),
        ("hub", "0002_default_locales"),
    ]

    operations = [
        migrations.RunPython(german_entries, migrations.RunPython.noop),
    ]
