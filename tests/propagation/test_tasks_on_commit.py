"""A task enqueued with `hub.tasks.enqueue_on_commit` runs only if its transaction commits."""

import time
from pathlib import Path

from django.db import transaction

import pytest

from hub.tasks import enqueue_on_commit
from tests.live import LiveDatabase, LiveProcesses
from tests.propagation.tasks import append_line

ENQUEUE = """
from django.db import transaction
from hub.tasks import enqueue_on_commit
from tests.propagation.tasks import append_line

path = {path!r}
with transaction.atomic():
    enqueue_on_commit(append_line, path, "committed")

class Abort(Exception):
    pass

try:
    with transaction.atomic():
        enqueue_on_commit(append_line, path, "rolled back")
        raise Abort
except Abort:
    pass
with transaction.atomic():
    with transaction.atomic():
        enqueue_on_commit(append_line, path, "savepoint kept")
    try:
        with transaction.atomic():
            enqueue_on_commit(append_line, path, "savepoint rolled back")
            raise Abort
    except Abort:
        pass
enqueue_on_commit(append_line, path, "outside a transaction")
"""

QUEUE = """
from django_tasks_db.models import DBTaskResult

print(sorted(
    (result.args_kwargs["args"][1], result.status)
    for result in DBTaskResult.objects.all()
))
"""


@pytest.mark.live
def test_worker_runs_committed_tasks_only(
    live_db: LiveDatabase, live: LiveProcesses, tmp_path: Path
):
    env = live_db.env()
    live.start_worker(env)
    output = tmp_path / "ran.txt"
    live.manage(env, "shell", "-c", ENQUEUE.format(path=str(output)))

    expected = ["committed", "outside a transaction", "savepoint kept"]
    deadline = time.monotonic() + 15
    while sorted(_lines(output)) != expected:
        assert time.monotonic() < deadline, f"the worker ran {_lines(output)}"
        time.sleep(0.2)
    # Nothing of the rolled-back work was ever queued, so nothing is left to run.
    queue = live.manage(env, "shell", "-c", QUEUE).stdout.strip().splitlines()[-1]
    assert queue == str([(line, "SUCCESSFUL") for line in expected])


@pytest.mark.django_db
def test_without_a_queue_table_tasks_still_wait_for_the_commit(
    tmp_path: Path, django_capture_on_commit_callbacks
):
    """With the immediate backend (tests, or a deployment without the worker)."""
    output = tmp_path / "ran.txt"
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            enqueue_on_commit(append_line, str(output), "committed")
            assert _lines(output) == []
        try:
            with transaction.atomic():
                enqueue_on_commit(append_line, str(output), "rolled back")
                raise RuntimeError("abort")
        except RuntimeError:
            pass
        assert _lines(output) == []
    assert _lines(output) == ["committed"]


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []
