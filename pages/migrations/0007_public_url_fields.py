"""URL fields accept only http(s) and mailto (`pages.links.validate_public_url`) and
read any other stored value as "" (`PublicURLField`).

The columns stay as they are: state only, so SQLite does not rebuild the tables (and
drop the schedule triggers of 0004)."""

from django.db import migrations

import pages.models.fields


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0006_embed_settings_moved_to_embeds"),
    ]

    state_operations = [
        migrations.AlterField(
            model_name="eventpage",
            name="online_url",
            field=pages.models.fields.PublicURLField(
                blank=True,
                help_text="Für den Status „findet online statt“.",
                verbose_name="Link zur Online-Veranstaltung",
            ),
        ),
        migrations.AlterField(
            model_name="eventpage",
            name="registration_url",
            field=pages.models.fields.PublicURLField(
                blank=True, verbose_name="Anmeldung über Link"
            ),
        ),
        migrations.AlterField(
            model_name="pressreleasepage",
            name="original_url",
            field=pages.models.fields.PublicURLField(
                blank=True, verbose_name="Originalmeldung"
            ),
        ),
        *(
            migrations.AlterField(
                model_name=model_name,
                name="url",
                field=pages.models.fields.PublicURLField(
                    blank=True, verbose_name="Externer Link"
                ),
            )
            for model_name in (
                "eventattachment",
                "eventindexattachment",
                "programmeattachment",
            )
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=state_operations, database_operations=[]
        )
    ]
