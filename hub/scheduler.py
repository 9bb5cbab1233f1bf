"""Periodic work of the task worker: Wagtail's scheduled publishing and result pruning.

Every `run_worker` process runs a `Scheduler` thread, and a lease row in the database
(`hub.models.Lease`) lets only one of them run a pass at a time, however many app
servers there are. The holder renews the lease on each pass and keeps it while it
lives; if it dies, another worker takes over once `held_until` has passed.
"""

import logging
import threading
from datetime import datetime, timedelta

from django.core.management import call_command
from django.db import (
    InterfaceError,
    OperationalError,
    close_old_connections,
    connection,
)
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone

from wagtail.models import Page, Revision

from django_tasks import task_backends
from django_tasks_db import DatabaseBackend

from pages import series_horizon, sync
from pages.models import ContentState

from .models import Lease
from .tasks import QUEUE

logger = logging.getLogger("hub.scheduler")

LEASE = "scheduler"

periodic = Signal()
"""Sent on every scheduler pass of the worker holding the lease (about every 10 s),
for periodic work of apps above `hub` (webhooks re-queue stalled deliveries) and of
`pages` (open-ended series get their new dates once a day)."""
periodic.connect(series_horizon.on_periodic, dispatch_uid="pages.series_horizon")


def acquire(name: str, holder: str, duration: timedelta) -> bool:
    """Take or renew the lease `name` for `duration`; False while another holder has it."""
    now = timezone.now()
    Lease.objects.bulk_create(
        [Lease(name=name, held_until=now - timedelta(seconds=1))],
        ignore_conflicts=True,
    )
    taken = (
        Lease.objects.filter(name=name)
        .filter(Q(held_until__lt=now) | Q(holder=holder))
        .update(holder=holder, held_until=now + duration)
    )
    return taken == 1


def release(name: str, holder: str) -> None:
    """Give the lease up at once, so another worker need not wait for it to expire."""
    Lease.objects.filter(name=name, holder=holder).update(
        holder="", held_until=timezone.now() - timedelta(seconds=1)
    )


def publish_scheduled() -> tuple[int, int]:
    """Wagtail's `publish_scheduled`: due revisions go live, expired objects go offline.

    Through Wagtail's own command, so a scheduled change sends the same signals
    (`page_published`, `page_unpublished`) and logs the same actions as a manual one.
    Returns how many revisions went live and how many pages expired, counted from what
    the command changed (a go-live time passing while it runs is counted too).
    """
    # The command reads the clock itself; look a little ahead so that every revision
    # or page it may handle is among the candidates.
    horizon = timezone.now() + timedelta(minutes=1)
    scheduled = list(
        Revision.objects.filter(approved_go_live_at__lt=horizon).values_list(
            "pk", flat=True
        )
    )
    expiring = list(
        Page.objects.filter(live=True, expire_at__lt=horizon).values_list(
            "pk", flat=True
        )
    )
    with sync.scheduled_publishing():
        call_command("publish_scheduled", verbosity=0)
    went_live = Revision.objects.filter(
        pk__in=scheduled, approved_go_live_at__isnull=True
    ).count()
    expired = Page.objects.filter(pk__in=expiring, live=False).count()
    if went_live or expired:
        logger.info(
            "Scheduled publishing: %d revision(s) went live, %d expired page(s) "
            "were unpublished.",
            went_live,
            expired,
        )
    return went_live, expired


def prune_task_results(keep_days: int) -> None:
    """Delete finished task results older than `keep_days` (django-tasks-db's command).

    The backend goes on the command line: the command's parser checks its default
    ("default", Wagtail's immediate backend) even when a keyword names another one.
    Without a database queue (tests, the immediate backend) nothing is kept to prune.
    """
    if not isinstance(task_backends[QUEUE], DatabaseBackend):
        return
    call_command(
        "prune_db_task_results",
        "--backend",
        QUEUE,
        queue_name="*",
        min_age_days=keep_days,
        verbosity=0,
    )


class Scheduler:
    """Runs the periodic passes every `interval` seconds while it holds the lease."""

    def __init__(
        self,
        holder: str,
        interval: float,
        keep_results_days: int,
        prune_every: timedelta = timedelta(hours=1),
        catch_up_every: timedelta = timedelta(minutes=5),
    ) -> None:
        self.holder = holder
        self.interval = interval
        # Long enough to outlast a pass; short enough that a dead holder's successor
        # takes over within a minute at the default interval.
        self.lease_duration = timedelta(seconds=max(30.0, 3 * interval))
        self.keep_results_days = keep_results_days
        self.prune_every = prune_every
        self.catch_up_every = catch_up_every
        self.next_prune = timezone.now()
        self.caught_up: tuple[int, datetime] | None = None
        """The content state and the time of the last catch-up pass."""
        self.holding = False
        self.stopping = threading.Event()
        self.thread = threading.Thread(
            target=self.run, name="hub-scheduler", daemon=True
        )

    def start(self) -> None:
        logger.info(
            "Scheduler started: scheduled publishing every %g s, one worker at a time.",
            self.interval,
        )
        self.thread.start()

    def stop(self, timeout: float = 30) -> None:
        """Let a running pass finish, then give up the lease."""
        self.stopping.set()
        self.thread.join(timeout)

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                self.run_pass()
                self.stopping.wait(self.interval)
        finally:
            try:
                release(LEASE, self.holder)
            except Exception:
                logger.exception("Could not release the scheduler lease.")
            connection.close()

    def catch_up(self) -> None:
        """Bring the change log up to date and announce what was left unannounced.

        A full comparison of what is public with the log finds what the clock changed
        (an expiry date passing before Wagtail unpublishes) and what a process that died
        between its commit and its own pass never recorded. It runs when the content
        state moved, a go-live or expiry time passed, or `catch_up_every` went by since
        the last one; otherwise nothing can have changed, and with the announcements it costs four
        small reads.
        """
        now = timezone.now()
        seq = ContentState.objects.filter(pk=1).values_list("seq", flat=True).first()
        due = self.caught_up is None or seq != self.caught_up[0]
        if not due and self.caught_up is not None:
            since = self.caught_up[1]
            due = now - since >= self.catch_up_every or (
                Page.objects.filter(
                    Q(go_live_at__gt=since, go_live_at__lte=now)
                    | Q(expire_at__gt=since, expire_at__lte=now)
                ).exists()
            )
        if due:
            sync.reconcile(settle=sync.SETTLE)
            self.caught_up = (seq or 0, now)
        sync.dispatch_pending()

    def run_pass(self) -> bool:
        """One pass if this worker holds the lease; whether it did."""
        close_old_connections()
        try:
            holding = acquire(LEASE, self.holder, self.lease_duration)
            if holding != self.holding:
                self.holding = holding
                logger.info(
                    "Worker %s %s scheduled publishing.",
                    self.holder,
                    "now runs" if holding else "no longer runs",
                )
            if not holding:
                return False
            publish_scheduled()
            # The clock hides expired pages before Wagtail unpublishes them, and a
            # process may have died between a commit and its own pass: a full pass
            # brings the change log up to date either way.
            self.catch_up()
            for receiver, error in periodic.send_robust(sender=Scheduler):
                if isinstance(error, Exception):
                    logger.error("Periodic work %r failed", receiver, exc_info=error)
            if timezone.now() >= self.next_prune:
                prune_task_results(self.keep_results_days)
                pruned = sync.prune()
                if pruned:
                    logger.info(
                        "Change log: %d entries older than %d days pruned.",
                        pruned,
                        sync.retention().days,
                    )
                self.next_prune = timezone.now() + self.prune_every
        except (OperationalError, InterfaceError) as error:
            logger.warning("Scheduler pass skipped: database unavailable (%s).", error)
        except Exception:
            # The next pass tries again; the worker keeps running tasks meanwhile.
            logger.exception("Scheduler pass failed.")
        finally:
            close_old_connections()
        return True
