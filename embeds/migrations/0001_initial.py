"""`EmbedSettings` moves here from `pages`: same table, so only the state moves.

The content type row moves with it ("pages" → "embeds", same id), so the model's
permissions and every group's grant of them survive.
"""

from django.db import migrations, models

import embeds.models

MODEL = "embedsettings"


def move_content_type(apps, schema_editor, *, source: str, target: str) -> None:
    """Relabel `source`'s content type for the model as `target`'s.

    A `target` row that `migrate` created before this ran (its post_migrate step) has
    no grants yet; the `source` row carries them, so it replaces the new one.
    """
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    old = types.filter(app_label=source, model=MODEL)
    if old.exists():
        types.filter(app_label=target, model=MODEL).delete()
        old.update(app_label=target)
    ContentType.objects.clear_cache()


def forwards(apps, schema_editor):
    move_content_type(apps, schema_editor, source="pages", target="embeds")


def backwards(apps, schema_editor):
    move_content_type(apps, schema_editor, source="embeds", target="pages")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("pages", "0003_embed_settings"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="EmbedSettings",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "allowed_origins",
                            models.TextField(
                                blank=True,
                                help_text="Eine Adresse je Zeile, z. B. „https://www.witten.de“. Nur diese Websites dürfen die Listen des Integrationszentrums einbetten (iframe) oder per Skript laden.",
                                validators=[embeds.models.validate_origins],
                                verbose_name="Erlaubte Partner-Websites",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "Einbettung auf Partnerseiten",
                        "verbose_name_plural": "Einbettung auf Partnerseiten",
                        "db_table": "pages_embedsettings",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
