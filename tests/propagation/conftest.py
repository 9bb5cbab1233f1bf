"""Fixtures for tests across real processes (tests/live.py): a database and processes.

    @pytest.mark.live
    def test_something(live_db, live):
        env = live_db.env()
        server = live.start_server(env)
        live.start_worker(env)

A failed test's report carries the tail of every process log.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live import LiveDatabase, LiveProcesses, live_database


@pytest.fixture
def live_db(tmp_path: Path) -> Iterator[LiveDatabase]:
    """A fresh prepared database for this test (SQLite file, or PostgreSQL + Redis)."""
    with live_database(tmp_path / "db") as db:
        yield db


@pytest.fixture
def live(live_db: LiveDatabase, tmp_path: Path) -> Iterator[LiveProcesses]:
    """Starts servers, workers and commands; all stopped before `live_db` goes."""
    with LiveProcesses(tmp_path / "logs") as processes:
        yield processes


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    outcome = yield
    report = outcome.get_result()
    processes = getattr(item, "funcargs", {}).get("live")
    if report.failed and isinstance(processes, LiveProcesses):
        report.sections.append(("live-process logs", processes.report()))
