from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pages.demo.loader import (
    CONTENT_FILE,
    DATE_MODES,
    DATES_SEED,
    DemoContentLoader,
)


class Command(BaseCommand):
    help = (
        "Loads the integration centre's demo content from pages/demo/content.yaml "
        "(idempotent). Its calendar is moved into the coming weeks unless "
        "--dates=seed (or HUB_DEMO_DATES=seed) asks for the seed's own dates."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dates",
            choices=DATE_MODES,
            default=None,
            help="Calendar of the demo events (default: HUB_DEMO_DATES, else upcoming).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Lade Demo-Inhalte aus {CONTENT_FILE.name} …")
        try:
            loader = DemoContentLoader(
                log=self.stdout.write, dates=options["dates"] or settings.HUB_DEMO_DATES
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        if loader.dates == DATES_SEED:
            self.stdout.write("  Termine: wie auf der Originalseite (2019–2020)")
        else:
            self.stdout.write(
                f"  Termine: um {loader.shift.days // 7} Wochen in die kommenden "
                "Monate verschoben (HUB_DEMO_DATES=seed zeigt die Originaldaten)"
            )
        loader.run()
        labels = sorted(set(loader.created) | set(loader.unchanged))
        for label in labels:
            self.stdout.write(
                f"  {label}: {loader.created[label]} neu, {loader.unchanged[label]} unverändert"
            )
        total = sum(loader.created.values())
        if loader.redated:
            self.stdout.write(
                f"  Veranstaltungen neu datiert: {loader.redated}"
                " (unveränderte Demo-Termine auf den gewünschten Kalender gesetzt)"
            )
        self.stdout.write(
            self.style.SUCCESS(f"Fertig: {total} Einträge angelegt.")
            if total
            else self.style.SUCCESS(
                f"Fertig: nichts angelegt, {loader.redated} Veranstaltungen neu datiert."
            )
            if loader.redated
            else self.style.SUCCESS(
                "Fertig: alles war schon vorhanden, nichts geändert."
            )
        )
