"""Wagtail's stock groups, root page and root collection get German names.

Wagtail's migrations create the groups "Moderators" and "Editors", the root page "Root"
and the root collection "Root"; editors see these names in the users list, the group
and workflow editors and the choosers.
"""

from django.db import migrations

GROUPS = {"Moderators": "Moderation", "Editors": "Bearbeitung"}
ROOT_PAGE = "Alle Seiten"
ROOT_COLLECTION = "Hauptsammlung"


def rename(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Page = apps.get_model("wagtailcore.Page")
    Collection = apps.get_model("wagtailcore.Collection")
    for english, german in GROUPS.items():
        if not Group.objects.filter(name=german).exists():
            Group.objects.filter(name=english).update(name=german)
    Page.objects.filter(depth=1, title="Root").update(
        title=ROOT_PAGE, draft_title=ROOT_PAGE
    )
    Collection.objects.filter(depth=1, name="Root").update(name=ROOT_COLLECTION)


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0011_review_workflow"),
        ("wagtailcore", "0025_collection_initial_data"),
    ]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
