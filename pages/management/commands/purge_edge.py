"""`manage.py purge_edge [KEY …]`: purge the HTTP cache in front of the hub now, e.g.
after a deploy that changed templates (default key `hub`: every tagged answer)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pages.caching import edge


class Command(BaseCommand):
    help = (
        "Purges surrogate keys (default: hub, i.e. everything the hub tagged) at the "
        "edge HUB_EDGE_BACKEND names; see docs/edge-caching.md."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("keys", nargs="*", default=[edge.HUB])

    def handle(self, *args: Any, keys: list[str], **options: Any) -> None:
        backend = edge.configured_backend()
        if not backend.headers:
            raise CommandError("No edge configured (HUB_EDGE_BACKEND is none).")
        try:
            sent = edge.purge.call(keys)
        except edge.PurgeFailed as error:
            raise CommandError(f"Purge failed: {error}") from None
        self.stdout.write(
            f"Purged {' '.join(keys)} at {backend.name} ({sent} request(s))."
        )
