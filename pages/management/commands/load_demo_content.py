from typing import Any

from django.core.management.base import BaseCommand

from pages.demo.loader import CONTENT_FILE, DemoContentLoader


class Command(BaseCommand):
    help = "Loads the integration centre's demo content from pages/demo/content.yaml (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Lade Demo-Inhalte aus {CONTENT_FILE.name} …")
        loader = DemoContentLoader(log=self.stdout.write)
        loader.run()
        labels = sorted(set(loader.created) | set(loader.unchanged))
        for label in labels:
            self.stdout.write(
                f"  {label}: {loader.created[label]} neu, {loader.unchanged[label]} unverändert"
            )
        total = sum(loader.created.values())
        self.stdout.write(
            self.style.SUCCESS(f"Fertig: {total} Einträge angelegt.")
            if total
            else self.style.SUCCESS(
                "Fertig: alles war schon vorhanden, nichts geändert."
            )
        )
