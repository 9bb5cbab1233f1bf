import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from imports.demo import CALENDAR_NAME, PATH
from imports.models import CalendarSubscription
from pages.snippets import City

FIRST_FETCH_DELAY = dt.timedelta(seconds=30)


class Command(BaseCommand):
    help = (
        "Creates the demo's calendar subscription to the sample partner calendar the "
        "hub serves itself (development only)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not getattr(settings, "HUB_DEMO_EDITOR", False):
            raise CommandError("Der Demo-Import ist in dieser Umgebung abgeschaltet.")
        city = City.objects.german().filter(slug="witten").first()
        if city is None:
            raise CommandError("Die Demo-Stadt Witten fehlt (make demo).")
        url = f"{settings.SITE_BASE_URL}/{PATH}"
        subscription, created = CalendarSubscription.objects.update_or_create(
            name=CALENDAR_NAME,
            defaults={
                "url": url,
                "city": city,
                "needs_review": True,
                "interval_hours": 1,
            },
        )
        if created:
            # `make run` starts the worker and the web server together: the first fetch
            # waits until the server that serves the sample calendar answers.
            subscription.next_fetch_at = timezone.now() + FIRST_FETCH_DELAY
            subscription.save(update_fields=["next_fetch_at"])
        self.stdout.write(f"Kalender-Import: „{subscription}“ von {url}")
