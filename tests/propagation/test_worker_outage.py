"""The task worker outlives a database outage (a PostgreSQL restart) and carries on."""

import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.live import LiveDatabase, LiveProcesses, postgres_admin

pytestmark = pytest.mark.live

ENQUEUE = """
from hub.tasks import enqueue_on_commit
from tests.propagation.tasks import append_line
enqueue_on_commit(append_line, {path!r}, "after the outage")
"""


def test_worker_waits_for_the_database_and_resumes(
    live_db: LiveDatabase, live: LiveProcesses, tmp_path: Path
):
    if not live_db.is_postgres:
        pytest.skip("PostgreSQL only: an SQLite file does not go away while in use")
    env = live_db.env()
    worker = live.start_worker(env, "--schedule-interval", "1")
    name = urlsplit(live_db.url).path.lstrip("/")
    # The server "restarts": every connection is cut and new ones are refused.
    postgres_admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
    try:
        postgres_admin(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            [name],
        )
        _wait(lambda: "Database unavailable" in worker.log_text())
    finally:
        postgres_admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    assert worker.alive()

    output = tmp_path / "ran.txt"
    live.manage(env, "shell", "-c", ENQUEUE.format(path=str(output)))
    _wait(lambda: output.exists() and "after the outage" in output.read_text())
    assert worker.stop() == 0


def _wait(condition, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"not within {timeout} s"
        time.sleep(0.2)
