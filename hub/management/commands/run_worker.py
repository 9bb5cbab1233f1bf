"""`manage.py run_worker`: the task worker and the scheduler in one process.

django-tasks-db's `db_worker` loop runs the queued tasks; a `hub.scheduler.Scheduler`
thread next to it publishes scheduled pages and prunes old task results, so nothing
needs cron. Any number of these may run (one per app server): the tasks are claimed
row by row and the scheduler is guarded by a lease. SIGTERM/SIGINT stop it cleanly:
a running task finishes, the scheduler gives up its lease. When the database goes away
(a PostgreSQL restart) the worker waits for it instead of exiting.
"""

import logging
import os
import time
from argparse import ArgumentParser
from typing import Any

from django.db import InterfaceError, OperationalError, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader

from django_tasks_db.compat import TASKS_LOGGER
from django_tasks_db.management.commands import db_worker
from django_tasks_db.management.commands.db_worker import valid_interval

from hub.scheduler import Scheduler
from hub.tasks import QUEUE

logger = logging.getLogger("hub.scheduler")

# Seconds between attempts to reach the database again after it went away.
RECONNECT_DELAY = 2.0


class SchedulingWorker(db_worker.Worker):
    """django-tasks-db's worker, with the scheduler running while it runs."""

    def __init__(self, *, scheduler: Scheduler | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scheduler = scheduler

    def run(self) -> None:
        if self.scheduler is not None:
            self.scheduler.start()
        try:
            while self.running:
                try:
                    super().run()
                    return
                except (OperationalError, InterfaceError) as error:
                    # The database restarts or is unreachable: wait, reconnect, go on.
                    logger.warning(
                        "Database unavailable (%s); retrying in %g s.",
                        str(error).strip(),
                        RECONNECT_DELAY,
                    )
                    connections.close_all()
                    time.sleep(RECONNECT_DELAY)
        finally:
            if self.scheduler is not None:
                self.scheduler.stop()
            logger.info("Worker %s stopped.", self.worker_id)


class Command(db_worker.Command):
    help = (
        "Run queued background tasks and, every few seconds, Wagtail's scheduled "
        "publishing (go-live and expiry), in one process."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(reload=False, backend_name=QUEUE)
        parser.add_argument(
            "--schedule-interval",
            type=valid_interval,
            default=10.0,
            help="Seconds between two scheduled-publishing passes (default: %(default)r).",
        )
        parser.add_argument(
            "--no-scheduler",
            action="store_false",
            dest="scheduler",
            help="Only run tasks; leave scheduled publishing to other workers.",
        )
        parser.add_argument(
            "--keep-results-days",
            type=int,
            default=7,
            help="Finished task results older than this are deleted (default: %(default)r).",
        )

    def configure_logging(self, verbosity: int) -> None:
        super().configure_logging(verbosity)
        if verbosity == 1:
            # A line per task started and finished only with -v 2; failures always.
            logging.getLogger(TASKS_LOGGER).setLevel(logging.WARNING)
        level = logging.WARNING if verbosity == 0 else logging.INFO
        logger.setLevel(level)
        if not logger.hasHandlers():
            logger.addHandler(logging.StreamHandler(self.stdout))

    def handle(  # type: ignore[override]
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        schedule_interval: float,
        scheduler: bool,
        keep_results_days: int,
        **options: Any,
    ) -> None:
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise db_worker.CommandError(
                "--exclude-queues can only be used with --queue-name=*"
            )
        worker = SchedulingWorker(
            scheduler=(
                Scheduler(worker_id, schedule_interval, keep_results_days)
                if scheduler and not batch
                else None
            ),
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        if reload and not batch:
            # Only the reloader's child runs the worker; the parent just watches files.
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
