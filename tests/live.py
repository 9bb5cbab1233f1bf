"""Real processes on a database of their own, for tests across processes.

What a deployment runs, started from a test: gunicorn servers (`start_server`), task
workers (`start_worker`) and management commands as further writers (`manage`), all
on one prepared database outside pytest-django's test database:

- SQLite (the default): a copy of a template file that is migrated and holds the demo
  content and the demo editor (`redaktion`);
- PostgreSQL (when the test run's `DATABASE_URL` is postgres://): a fresh database
  `hub_live_<random>` created from a template database, dropped at the end; with a
  Redis at 127.0.0.1:6379 (database 2) as the shared cache when one answers.

Templates are built once (a subprocess running the migrations and the demo loader)
and kept, keyed by a hash of the migrations, the demo seed and the pinned
dependencies, so later sessions and parallel pytest workers reuse them (files under
$TMPDIR/hub-live, databases `hub_live_template_<hash>`: both safe to delete).

    with live_database(tmp_path) as db, LiveProcesses(tmp_path / "logs") as live:
        env = db.env()
        server = live.start_server(env)
        live.start_worker(env, "--schedule-interval", "1")
        live.manage(env, "publish_scheduled")
        requests.get(server.url + "/api/v1/events/")

The pytest fixtures are in tests/propagation/conftest.py (`live_db`, `live`).
Server and worker processes use `tests.live_settings`.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = "tests.live_settings"
# The settings the templates are built with: tasks run inline, so no queued work
# (Wagtail's reference index) is left in the template for the first worker.
BUILD_SETTINGS = "hub.settings.test"
# Change when `_build_here` changes what a template holds.
TEMPLATE_FORMAT = "1"
REDIS_URL = os.environ.get("HUB_LIVE_REDIS_URL", "redis://127.0.0.1:6379/2")
TEMPLATE_DIR = Path(
    os.environ.get("HUB_LIVE_TEMPLATE_DIR", Path(tempfile.gettempdir()) / "hub-live")
)
# Inherited from the test run's environment only where a live process needs it.
_DROPPED = {
    "DATABASE_URL",
    "CACHE_URL",
    "REDIS_URL",
    "DJANGO_SETTINGS_MODULE",
    "SITE_BASE_URL",
}


# --- databases ------------------------------------------------------------------------


@dataclass
class LiveDatabase:
    """A prepared database (demo content, demo editor) and the media files it refers to."""

    url: str
    media_root: Path
    redis_url: str | None = None
    cache_prefix: str = field(default_factory=lambda: f"live-{secrets.token_hex(4)}")

    @property
    def is_postgres(self) -> bool:
        return self.url.startswith(("postgres://", "postgresql://"))

    @property
    def sqlite_path(self) -> Path | None:
        return None if self.is_postgres else Path(urlsplit(self.url).path)

    def env(self, **extra: str) -> dict[str, str]:
        """The environment of a server, worker or command process on this database."""
        env = {k: v for k, v in os.environ.items() if k not in _DROPPED}
        env.update(
            DJANGO_SETTINGS_MODULE=SETTINGS,
            DATABASE_URL=self.url,
            MEDIA_ROOT=str(self.media_root),
            HUB_LIVE_CACHE_PREFIX=self.cache_prefix,
            PYTHONUNBUFFERED="1",
            # Connections are not kept across requests: a test may drop the database.
            CONN_MAX_AGE="0",
        )
        if self.redis_url:
            env["REDIS_URL"] = self.redis_url
        env.update(extra)
        return env


def run_database_url() -> str:
    """The test run's own `DATABASE_URL` (SQLite when unset)."""
    return os.environ.get("DATABASE_URL", "")


def uses_postgres() -> bool:
    return run_database_url().startswith(("postgres://", "postgresql://"))


@contextlib.contextmanager
def live_database(
    workdir: Path, *, redis: bool | None = None
) -> Iterator[LiveDatabase]:
    """A fresh copy of the prepared database for one test, removed afterwards.

    PostgreSQL when the test run's `DATABASE_URL` is postgres, else an SQLite file in
    `workdir`. `redis`: None uses Redis on PostgreSQL when one answers (and requires
    it under CI=true); False never; True always (skips when none answers).
    """
    workdir.mkdir(parents=True, exist_ok=True)
    media = workdir / "media"
    if uses_postgres():
        template = prepared_postgres_template()
        name = f"hub_live_{secrets.token_hex(6)}"
        with _locked(TEMPLATE_DIR / f"{template.database}.lock"):
            postgres_admin(f'CREATE DATABASE "{name}" TEMPLATE "{template.database}"')
        url = _with_database(run_database_url(), name)
        shutil.copytree(template.media_root, media)
    else:
        template = prepared_sqlite_template()
        target = workdir / "hub.sqlite3"
        shutil.copyfile(template.path, target)
        url = f"sqlite:///{target}"
        shutil.copytree(template.media_root, media)
    want_redis = uses_postgres() if redis is None else redis
    db = LiveDatabase(url=url, media_root=media, redis_url=None)
    if want_redis:
        db.redis_url = require_redis(strict=redis is True)
    try:
        yield db
    finally:
        if db.redis_url:
            _delete_redis_keys(db.redis_url, db.cache_prefix)
        if db.is_postgres:
            postgres_admin(
                f'DROP DATABASE IF EXISTS "{urlsplit(db.url).path.lstrip("/")}" '
                "WITH (FORCE)"
            )


@dataclass
class _SqliteTemplate:
    path: Path
    media_root: Path


@dataclass
class _PostgresTemplate:
    database: str
    media_root: Path


def template_key() -> str:
    """Changes whenever a template would: migrations, demo seed, dependencies, builder."""
    digest = hashlib.sha256()
    files = sorted(ROOT.glob("*/migrations/*.py")) + sorted(
        p for p in (ROOT / "pages" / "demo").rglob("*") if p.is_file()
    )
    files += [
        ROOT / "pyproject.toml",
        ROOT / "pages/management/commands/ensure_demo_editor.py",
        ROOT / "pages/management/commands/city_editor_group.py",
    ]
    digest.update(TEMPLATE_FORMAT.encode())
    for path in files:
        if "__pycache__" in path.parts:
            continue
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock between processes (parallel pytest workers) on `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def prepared_sqlite_template() -> _SqliteTemplate:
    """The migrated SQLite file with the demo content, built once and kept."""
    directory = TEMPLATE_DIR / f"sqlite-{template_key()}"
    template = _SqliteTemplate(directory / "template.sqlite3", directory / "media")
    with _locked(TEMPLATE_DIR / f"sqlite-{template_key()}.lock"):
        if not template.path.exists():
            building = Path(tempfile.mkdtemp(prefix="building-", dir=TEMPLATE_DIR))
            _build(f"sqlite:///{building / 'template.sqlite3'}", building / "media")
            building.rename(directory)
    return template


def prepared_postgres_template() -> _PostgresTemplate:
    """A PostgreSQL database with the demo content to copy from, built once and kept."""
    key = template_key()
    name = f"hub_live_template_{key}"
    media = TEMPLATE_DIR / f"postgres-{key}-media"
    with _locked(TEMPLATE_DIR / f"{name}.lock"):
        if not _postgres_database_exists(name) or not media.exists():
            building = f"hub_live_building_{secrets.token_hex(4)}"
            postgres_admin(f'CREATE DATABASE "{building}"')
            staging = Path(tempfile.mkdtemp(prefix="building-", dir=TEMPLATE_DIR))
            try:
                _build(_with_database(run_database_url(), building), staging)
            except BaseException:
                postgres_admin(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
                raise
            postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            postgres_admin(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
            shutil.rmtree(media, ignore_errors=True)
            staging.rename(media)
    return _PostgresTemplate(name, media)


def _build(database_url: str, media_root: Path) -> None:
    """Migrate `database_url` and load the demo content, in a process of its own."""
    media_root.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED}
    env.update(
        DJANGO_SETTINGS_MODULE=BUILD_SETTINGS,
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(media_root),
    )
    result = subprocess.run(  # noqa: S603 - our own module
        [sys.executable, "-m", "tests.live", "build", str(media_root)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode:
        raise RuntimeError(
            f"building the live-test template failed:\n{result.stdout}\n{result.stderr}"
        )


def _build_here(media_root: Path) -> None:
    """Body of `python -m tests.live build MEDIA_ROOT` (the build subprocess)."""
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    settings.MEDIA_ROOT = str(media_root)

    from pages.demo.loader import DemoContentLoader

    call_command("migrate", verbosity=0, interactive=False)
    DemoContentLoader(log=lambda message: None).run()
    call_command("ensure_demo_editor", verbosity=0)
    from django.db import connection

    if connection.vendor == "sqlite":
        # Everything into the main file, so a plain copy of it is the whole database.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def postgres_admin(sql: str, params: Sequence[object] = ()) -> None:
    """Run one statement on the test run's PostgreSQL server, as its admin (autocommit)."""
    import psycopg

    url = _with_database(run_database_url(), "postgres")
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(sql, params)  # type: ignore[call-overload]


def _postgres_database_exists(name: str) -> bool:
    import psycopg

    url = _with_database(run_database_url(), "postgres")
    with psycopg.connect(url, autocommit=True) as connection:
        row = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
    return row is not None


# --- Redis ----------------------------------------------------------------------------


def require_redis(*, strict: bool = False) -> str | None:
    """`REDIS_URL` for live processes, or None when no Redis answers.

    Without one: a failure under CI=true or when `strict`, otherwise the live test
    runs with per-process caches (the SQLite default's setup).
    """
    import pytest
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true requires Redis at {REDIS_URL} (.ci/run starts one)")
        if strict:
            pytest.skip(f"no Redis at {REDIS_URL}")
        return None
    return REDIS_URL


def _delete_redis_keys(url: str, prefix: str) -> None:
    """Forget one live database's cache entries (other sessions share Redis db 2)."""
    import redis

    with contextlib.suppress(redis.RedisError):
        client = redis.Redis.from_url(url, socket_connect_timeout=0.5)
        keys = list(client.scan_iter(match=f"*{prefix}*", count=1000))
        if keys:
            client.delete(*keys)


# --- processes ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class LiveProcess:
    """A started process and the file its output goes to."""

    name: str
    process: subprocess.Popen[bytes]
    log: Path
    url: str = ""

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = 10) -> int | None:
        """SIGTERM, then SIGKILL after `timeout` seconds; the exit status."""
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def _spawn(
    name: str, command: list[str], env: dict[str, str], log: Path
) -> LiveProcess:
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as output:
        process = subprocess.Popen(  # noqa: S603 - our own commands
            command,
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    return LiveProcess(name, process, log)


def start_server(
    env: dict[str, str],
    port: int | None = None,
    *,
    log_dir: Path,
    name: str = "server",
    timeout: float = 60,
) -> LiveProcess:
    """gunicorn serving `hub.wsgi` (1 worker, 4 threads), once it answers HTTP.

    Its absolute links point to itself, as `make serve` does, unless `env` sets
    `SITE_BASE_URL`."""
    port = port or free_port()
    env = {"SITE_BASE_URL": f"http://127.0.0.1:{port}", **env}
    server = _spawn(
        name,
        [
            sys.executable,
            "-m",
            "gunicorn",
            "hub.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "4",
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "5",
            # Several servers at once: no shared ~/.gunicorn/gunicorn.ctl.
            "--no-control-socket",
        ],
        env,
        log_dir / f"{name}.log",
    )
    server.url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not server.alive():
            raise RuntimeError(f"{name} exited:\n{server.log_text()[-4000:]}")
        try:
            with urllib.request.urlopen(  # noqa: S310 - our own local server
                f"{server.url}/api/v1/", timeout=2
            ):
                return server
        except urllib.error.HTTPError:
            return server  # answers, if not with 200
        except OSError:
            time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"{name} did not answer at {server.url}:\n{server.log_text()}")


def start_worker(
    env: dict[str, str],
    *args: str,
    log_dir: Path,
    name: str = "worker",
    timeout: float = 60,
) -> LiveProcess:
    """`manage.py run_worker *args` (tasks every 0.2 s unless `args` say otherwise)."""
    worker = _spawn(
        name,
        [
            sys.executable,
            "manage.py",
            "run_worker",
            "--no-startup-delay",
            "--interval",
            "0.2",
            *args,
        ],
        env,
        log_dir / f"{name}.log",
    )
    deadline = time.monotonic() + timeout
    while "Starting worker" not in worker.log_text():
        if not worker.alive():
            raise RuntimeError(f"{name} exited:\n{worker.log_text()[-4000:]}")
        if time.monotonic() > deadline:
            worker.stop()
            raise RuntimeError(f"{name} did not start:\n{worker.log_text()}")
        time.sleep(0.1)
    return worker


def manage(
    env: dict[str, str],
    *args: str,
    log_dir: Path,
    check: bool = True,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run `manage.py *args` as a process of its own (a further writer) and wait for it."""
    result = subprocess.run(  # noqa: S603 - our own commands
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    log_dir.mkdir(parents=True, exist_ok=True)
    with (log_dir / "manage.log").open("a") as log:
        log.write(f"$ manage.py {' '.join(args)}  -> {result.returncode}\n")
        log.write(result.stdout + result.stderr)
    if check and result.returncode:
        raise RuntimeError(
            f"manage.py {' '.join(args)} failed ({result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}"
        )
    return result


class LiveProcesses:
    """Starts servers, workers and commands, and stops every one of them at the end."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.processes: list[LiveProcess] = []

    def __enter__(self) -> LiveProcesses:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop_all()

    def start_server(
        self, env: dict[str, str], port: int | None = None, **kwargs: object
    ) -> LiveProcess:
        name = str(kwargs.pop("name", f"server-{len(self.processes) + 1}"))
        server = start_server(env, port, log_dir=self.log_dir, name=name)
        self.processes.append(server)
        return server

    def start_worker(
        self, env: dict[str, str], *args: str, name: str = ""
    ) -> LiveProcess:
        worker = start_worker(
            env,
            *args,
            log_dir=self.log_dir,
            name=name or f"worker-{len(self.processes) + 1}",
        )
        self.processes.append(worker)
        return worker

    def manage(
        self, env: dict[str, str], *args: str, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        return manage(env, *args, log_dir=self.log_dir, check=check)

    def stop_all(self, timeout: float = 10) -> None:
        """SIGTERM to every process at once, SIGKILL to those still running after `timeout`."""
        for process in self.processes:
            if process.alive():
                process.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in self.processes:
            try:
                process.process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.process.kill()
                process.process.wait()

    def report(self, tail: int = 4000) -> str:
        """The last lines of every log, for a failed test's report."""
        parts = [f"live-process logs in {self.log_dir}"]
        for log in sorted(self.log_dir.glob("*.log")):
            parts.append(
                f"--- {log.name} ---\n{log.read_text(errors='replace')[-tail:]}"
            )
        return "\n".join(parts)


if __name__ == "__main__":
    if sys.argv[1:2] == ["build"] and len(sys.argv) == 3:
        _build_here(Path(sys.argv[2]))
    else:
        sys.exit("usage: python -m tests.live build MEDIA_ROOT")
