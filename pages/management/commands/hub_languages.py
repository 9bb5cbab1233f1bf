from typing import Any

from django.core.management.base import BaseCommand

from pages.translations import ensure_language_trees


class Command(BaseCommand):
    help = (
        "Builds the page tree of every language: the home page and the section "
        "indexes translated, titled in that language (docs/languages.md)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for tag, pages in ensure_language_trees().items():
            if not pages:
                self.stdout.write(f"{tag}: vollständig")
                continue
            for page in pages:
                state = "veröffentlicht" if page.live else "Entwurf"
                self.stdout.write(f"{tag}: {page.title} ({state})")
