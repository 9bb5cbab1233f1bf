"""`manage.py generate_bench_data --events N`: fill the current (empty) database for the benchmark."""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from bench.generate import BenchDataGenerator
from pages.models import EventPage


class Command(BaseCommand):
    help = (
        "Migrate the current database and add deterministic benchmark content in bulk."
    )

    def add_arguments(self, parser):
        parser.add_argument("--events", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=2020)

    def handle(self, *args, events: int, seed: int, **options):
        if events < 1:
            raise CommandError("--events must be at least 1.")
        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        if EventPage.objects.count() > 100:
            raise CommandError(
                "The database already holds generated events; use an empty database."
            )
        counts = BenchDataGenerator(events, seed=seed).run()
        summary = ", ".join(f"{n} {name}" for name, n in counts.items())
        self.stdout.write(f"Generated {summary} in {time.monotonic() - started:.0f}s.")
