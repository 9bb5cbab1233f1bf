"""The hub's default languages as Wagtail locales (hub/languages.py, frozen here).

German already exists: Wagtail gave every page its default locale. The office adds or
removes languages later in the admin (Einstellungen → Sprachen).
"""

from django.db import migrations

DEFAULT_TAGS = ("de", "de-x-ls", "en", "ar", "uk", "tr", "fa", "ru")


def create_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    for tag in DEFAULT_TAGS:
        Locale.objects.get_or_create(language_code=tag)


class Migration(migrations.Migration):
    dependencies = [
        ("hub", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(create_locales, migrations.RunPython.noop, elidable=True),
    ]
