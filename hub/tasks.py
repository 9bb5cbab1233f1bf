"""Background work that must happen only once its change is committed.

Tasks are django-tasks tasks (the API Wagtail 8 itself uses, and Django 6's
`django.tasks`). The queue is django-tasks-db's `DatabaseBackend`: a table in the
hub's own database, on SQLite and PostgreSQL alike, so `make run` needs no other
server, a task row commits or rolls back with the change that caused it, and
`manage.py run_worker` works it off. Not Celery or RQ: both need a broker (Redis or
RabbitMQ) that the embedded default does not have, neither is transactional with the
database, and Wagtail's own tasks would still go through django-tasks.
"""

from functools import partial
from typing import Any

from django.db import DEFAULT_DB_ALIAS, router, transaction

from django_tasks.base import Task
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

QUEUE = "queue"
"""The `TASKS` alias of the hub's own background work (what `run_worker` works off);
Wagtail's tasks stay on "default", which runs them at once."""


def enqueue_on_commit(task: Task[Any, Any], *args: Any, **kwargs: Any) -> None:
    """Enqueue `task(*args, **kwargs)` so that it runs only if the current transaction commits.

    Outside a transaction it is enqueued at once. With the database backend on the same
    database the task row is written inside the transaction (it becomes visible to
    workers at the commit and vanishes with a rollback, and a crash right after the
    commit cannot lose it); with any other backend it is enqueued from
    `transaction.on_commit`.
    """
    if _queued_in_default_database(task):
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(partial(task.enqueue, *args, **kwargs))


def _queued_in_default_database(task: Task[Any, Any]) -> bool:
    """Whether the task's queue is a table in the database of the caller's transaction."""
    return (
        isinstance(task.get_backend(), DatabaseBackend)
        and router.db_for_write(DBTaskResult) == DEFAULT_DB_ALIAS
    )
