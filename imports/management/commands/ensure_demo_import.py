from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from imports.demo import CALENDAR_NAME, PATH
from imports.models import CalendarSubscription
from pages.snippets import City


class Command(BaseCommand):
    help = (
        "Creates the demo's calendar subscription to the sample partner calendar the "
        "hub serves itself (development only)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not getattr(settings, "HUB_DEMO_EDITOR", False):
            raise CommandError("Der Demo-Import ist in dieser Umgebung abgeschaltet.")
        city = City.objects.filter(slug="witten").first()
        if city is None:
            raise CommandError("Die Demo-Stadt Witten fehlt (make demo).")
        url = f"{settings.SITE_BASE_URL}/{PATH}"
        subscription, _ = CalendarSubscription.objects.update_or_create(
            name=CALENDAR_NAME,
            defaults={
                "url": url,
                "city": city,
                "needs_review": True,
                "interval_hours": 1,
            },
        )
        self.stdout.write(f"Kalender-Import: „{subscription}“ von {url}")
