"""One scheduler pass, in this process: what it publishes, reports and prunes."""

import datetime as dt
import logging
import uuid

from django.test import override_settings
from django.utils import timezone

import pytest
from django_tasks_db.models import DBTaskResult

from hub.scheduler import Scheduler, prune_task_results, publish_scheduled
from tests.factories import PressReleasePageFactory
from tests.propagation.tasks import append_line

QUEUED = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "queue": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}

pytestmark = pytest.mark.django_db


def _due_press_release(title: str):
    """A release scheduled a moment ago, as an editor's "publish at" leaves it."""
    page = PressReleasePageFactory(title=title, scheduled=True)
    assert not page.live
    moment = timezone.now() - dt.timedelta(seconds=1)
    revision = page.latest_revision
    revision.approved_go_live_at = moment
    revision.content["go_live_at"] = moment.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])
    return page


def test_a_pass_publishes_what_is_due_and_reports_it(caplog, monkeypatch):
    # A pass closes connections past their age; here that is the test's transaction.
    monkeypatch.setattr("hub.scheduler.close_old_connections", lambda: None)
    page = _due_press_release("Fällige Mitteilung")
    caplog.set_level(logging.INFO, logger="hub.scheduler")

    assert Scheduler("worker-1", 10, keep_results_days=7).run_pass()

    page.refresh_from_db()
    assert page.live
    messages = [record.getMessage() for record in caplog.records]
    assert any(
        "Scheduled publishing: 1 revision(s) went live" in m for m in messages
    ), messages
    assert not any("failed" in m for m in messages), messages


def test_the_report_counts_what_went_live_not_what_was_due_before():
    """A go-live time that passes while Wagtail's command runs is still reported."""
    _due_press_release("Gerade fällig")
    assert publish_scheduled() == (1, 0)
    assert publish_scheduled() == (0, 0)


@override_settings(TASKS=QUEUED)
def test_old_task_results_are_pruned_and_recent_ones_kept(tmp_path):
    path = str(tmp_path / "out.txt")
    old, recent = (append_line.enqueue(path, line) for line in ("alt", "neu"))
    DBTaskResult.objects.filter(pk__in=[old.id, recent.id]).update(
        status="SUCCESSFUL", finished_at=timezone.now()
    )
    DBTaskResult.objects.filter(pk=old.id).update(
        finished_at=timezone.now() - dt.timedelta(days=8)
    )

    prune_task_results(keep_days=7)

    assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [
        uuid.UUID(recent.id)
    ]
