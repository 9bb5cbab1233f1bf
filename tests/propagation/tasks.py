"""Tasks the propagation tests enqueue (module level, so a worker process can import them)."""

from pathlib import Path

from django_tasks import task

from hub.tasks import QUEUE


@task(backend=QUEUE)
def append_line(path: str, line: str) -> None:
    """Append `line` to the file at `path`: a side effect another process can observe."""
    with Path(path).open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
