"""`EmbedSettings` now belongs to `embeds` (its 0001 takes over the table and the content
type); here it only leaves the state, the table stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0005_taxonomy_relations_declared_once"),
        ("embeds", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="EmbedSettings")],
            database_operations=[],
        ),
    ]
