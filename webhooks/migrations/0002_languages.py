import webhooks.models
from django.db import migrations, models


def german_before_languages(apps, schema_editor):
    """Every item message sent so far was German: keep them deduplicated as such."""
    Delivery = apps.get_model("webhooks", "Delivery")
    Delivery.objects.filter(event_seq__isnull=False).update(language="de")


class Migration(migrations.Migration):

    dependencies = [
        ('webhooks', '0001_initial'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='delivery',
            name='webhooks_delivery_once_per_event',
        ),
        migrations.AddField(
            model_name='delivery',
            name='language',
            field=models.CharField(blank=True, help_text='Die Sprache der Nachricht; leer bei einer Testnachricht.', max_length=20, verbose_name='Sprache'),
        ),
        migrations.RunPython(german_before_languages, migrations.RunPython.noop),
        migrations.AddField(
            model_name='endpoint',
            name='languages',
            field=models.JSONField(default=webhooks.models.source_language_only, help_text='In welchen Sprachen die Partnerseite Nachrichten erhält: je Änderung eine Nachricht pro Sprache, mit der API-Adresse in dieser Sprache.', validators=[webhooks.models.validate_languages], verbose_name='Sprachen'),
        ),
        migrations.AddConstraint(
            model_name='delivery',
            constraint=models.UniqueConstraint(condition=models.Q(('event_seq__isnull', False)), fields=('endpoint', 'event_seq', 'language'), name='webhooks_delivery_once_per_event_and_language'),
        ),
    ]
