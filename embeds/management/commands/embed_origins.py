"""Show or set the partner origins allowed to embed the hub (the editors' setting)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from embeds.models import EmbedSettings, parse_origins


class Command(BaseCommand):
    help = "Zeigt oder setzt die Partner-Websites, die Einbettungen nutzen dürfen."

    def add_arguments(self, parser):
        parser.add_argument("origins", nargs="*", help="z. B. https://www.witten.de")
        parser.add_argument(
            "--add", action="store_true", help="hinzufügen statt ersetzen"
        )

    def handle(self, *args, origins, add, **options):
        settings_row = EmbedSettings.load()
        if origins:
            current = settings_row.origins if add else []
            try:
                wanted = parse_origins("\n".join([*current, *origins]))
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            settings_row.allowed_origins = "\n".join(wanted)
            settings_row.save()
        for origin in settings_row.origins:
            self.stdout.write(origin)
