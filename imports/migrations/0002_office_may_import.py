"""The office group „Redaktion“ manages calendar imports (docs/calendar-import.md)."""

from django.db import migrations

OFFICE = "Redaktion"
CODENAME = "manage_calendar_imports"


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="imports", model="calendarsubscription"
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=CODENAME,
        defaults={"name": "Kalender-Importe verwalten"},
    )
    office, _ = Group.objects.get_or_create(name=OFFICE)
    office.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
