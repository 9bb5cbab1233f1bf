"""The worker's catch-up: changes no process announced still reach partners, once, with
the right reason, and a quiet pass costs next to nothing."""

import datetime as dt
import time

from django.utils import timezone

from wagtail.models import Page

import pytest

from hub.scheduler import Scheduler
from pages import sync
from pages.models import ChangeLogEntry, ContentState, ItemState
from pages.sync_events import items_changed
from tests.factories import PressReleasePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _log_up_to_date(db):
    """Start from a log that has announced everything public (on PostgreSQL the
    session's earlier transactional tests may have left the tables out of step)."""
    sync.reconcile()
    ContentState.objects.filter(pk=1).update(dispatched_seq=sync.newest_seq())


def scheduler() -> Scheduler:
    return Scheduler("worker-test", 10, keep_results_days=7)


def age(page, seconds=60):
    """As if the change happened `seconds` ago (past the catch-up's settling time)."""
    moment = timezone.now() - dt.timedelta(seconds=seconds)
    ItemState.objects.filter(page_id=page.pk).update(modified_at=moment)
    Page.objects.filter(pk=page.pk).update(last_published_at=moment)
    ChangeLogEntry.objects.update(at=moment)


def test_a_publication_no_process_recorded_is_caught_up_as_an_edit(demo, sent):
    # Committed without its after-commit work (the process died): nothing recorded.
    page = PressReleasePageFactory(parent=demo.press)
    assert sent == []
    age(page)
    scheduler().catch_up()
    assert [(e.type, e.reason, e.id) for e in sent] == [
        ("item.published", "edit", page.pk)
    ]


def test_a_change_still_settling_is_left_to_its_own_process(demo, sent):
    page = PressReleasePageFactory(parent=demo.press)
    scheduler().catch_up()
    assert sent == []
    age(page)
    scheduler().catch_up()
    assert [e.id for e in sent] == [page.pk]


def test_entries_whose_announcement_failed_are_announced_again(demo, sent):
    def fail(sender, **kwargs):
        raise RuntimeError("webhook table locked")

    items_changed.connect(fail, dispatch_uid="test-fail")
    try:
        page = PressReleasePageFactory(parent=demo.press)
        sync.reconcile([page.pk])
    finally:
        items_changed.disconnect(dispatch_uid="test-fail")
    assert [e.id for e in sent] == [page.pk]  # the other receiver got it
    mark = ContentState.objects.get(pk=1).dispatched_seq
    newest = sync.newest_seq()
    assert mark < newest
    age(page)
    sent.clear()
    assert (
        sync.dispatch_pending() == ChangeLogEntry.objects.filter(seq__gt=mark).count()
    )
    assert page.pk in [e.id for e in sent]
    assert ContentState.objects.get(pk=1).dispatched_seq == newest
    sent.clear()
    assert sync.dispatch_pending() == 0
    assert sent == []


def test_a_quiet_pass_costs_four_small_reads(demo, django_assert_max_num_queries):
    worker = scheduler()
    worker.catch_up()
    with django_assert_max_num_queries(4):
        worker.catch_up()


def test_a_passing_expiry_makes_the_pass_due(demo, sent):
    page = PressReleasePageFactory(parent=demo.press)
    age(page)
    worker = scheduler()
    worker.catch_up()
    sent.clear()
    Page.objects.filter(pk=page.pk).update(
        expire_at=timezone.now() + dt.timedelta(milliseconds=50)
    )
    # The update above did not move the state (a clock event, not an edit).
    ContentState.objects.filter(pk=1).update(seq=worker.caught_up[0])
    time.sleep(0.1)
    worker.catch_up()
    assert [(e.type, e.reason, e.id) for e in sent] == [
        ("item.deleted", "expiry", page.pk)
    ]
