"""What tests/edge/test_varnish.py runs against: varnishd with deploy/varnish/hub.vcl
in front of two gunicorn instances of the hub (production settings) on one database
and one Redis, and a task worker when the hub has one.

The database is an SQLite file, or a fresh PostgreSQL database on the server of the
test run's `DATABASE_URL` when that is postgres:// (dropped afterwards); either way
migrated and loaded with the demo content. Redis is a private `redis-server` on a free
port. Writers are management-command subprocesses (`EdgeStack.manage`).

Skipped, with the reason, only where varnishd (with the xkey vmod) or redis-server is
missing: `.ci/run` installs both.
"""

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
VCL = ROOT / "deploy" / "varnish" / "hub.vcl"
HOST = "127.0.0.1"
WORKER_COMMAND = ROOT / "hub" / "management" / "commands" / "run_worker.py"


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "live: starts real servers (gunicorn, varnishd, redis-server)"
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited:\n{log.read_text()[-3000:]}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(url, timeout=2),  # noqa: S310 - loopback
        ):
            return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def missing_tools(workdir: Path) -> str | None:
    for tool in ("varnishd", "redis-server"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (Debian: varnish varnish-modules redis-server)"
    vcl = workdir / "probe.vcl"
    vcl.write_text('vcl 4.1;\nimport xkey;\nbackend b { .host = "127.0.0.1"; }\n')
    probe = subprocess.run(  # noqa: S603 - fixed arguments
        ["varnishd", "-j", "none", "-C", "-n", str(workdir / "probe"), "-f", str(vcl)],  # noqa: S607
        capture_output=True,
        check=False,
    )
    if probe.returncode != 0:
        return "varnishd has no xkey vmod (Debian: varnish-modules)"
    return None


@dataclass
class EdgeStack:
    edge: str
    apps: list[str]
    env: dict[str, str]
    logs: Path
    processes: list[subprocess.Popen] = field(default_factory=list)

    def manage(self, *args: str, **env: str) -> str:
        """A management command in its own process, on the instances' database."""
        result = subprocess.run(  # noqa: S603 - the test's own commands
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if result.returncode != 0:
            raise AssertionError(f"manage.py {args[0]} failed:\n{result.stderr}")
        return result.stdout

    def write(self, code: str) -> str:
        """Python run by a writer process (`manage.py shell`), its output stripped."""
        return self.manage("shell", "--no-imports", "-c", code).strip()

    def start(self, name: str, command: list[str], **popen) -> subprocess.Popen:
        log = self.logs / f"{name}.log"
        process = subprocess.Popen(  # noqa: S603 - the test's own commands
            command,
            cwd=ROOT,
            env=self.env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            **popen,
        )
        self.processes.append(process)
        return process

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


@contextlib.contextmanager
def database(workdir: Path) -> Iterator[tuple[str, bool]]:
    """(DATABASE_URL, whether it still needs migrating and the demo content)."""
    run_url = os.environ.get("DATABASE_URL", "")
    if not run_url.startswith(("postgres://", "postgresql://")):
        subprocess.run(  # noqa: S603 - the test's own command
            [sys.executable, "-m", "tests.mutants_db", str(workdir / "db")],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            check=True,
            capture_output=True,
        )
        shutil.copytree(workdir / "db" / "media", workdir / "media")
        yield f"sqlite:///{workdir / 'db' / 'template.sqlite3'}", False
        return
    import psycopg

    name = f"hub_edge_{secrets.token_hex(6)}"
    parts = urlsplit(run_url)
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}")), True
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


PREPARE = """
import sys
import django
from django.conf import settings
from django.core.management import call_command
django.setup()
settings.MEDIA_ROOT = sys.argv[1]
from pages.demo.loader import DemoContentLoader
call_command("migrate", verbosity=0, interactive=False)
DemoContentLoader(log=lambda message: None).run()
"""


def prepare_postgres(url: str, media: Path) -> None:
    """Migrations and the demo content, as tests/mutants_db.py does for SQLite: with the
    test settings, so their background tasks (Wagtail's reference index) run at once
    instead of waiting in the queue ahead of the first purge."""
    subprocess.run(  # noqa: S603 - the test's own command
        [sys.executable, "-c", PREPARE, str(media)],
        cwd=ROOT,
        env={
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "hub.settings.test",
            "DATABASE_URL": url,
        },
        check=True,
        capture_output=True,
        timeout=600,
    )


def backends_vcl(ports: list[int]) -> str:
    backends = "".join(
        f'backend app{n} {{ .host = "{HOST}"; .port = "{port}"; }}\n'
        for n, port in enumerate(ports, 1)
    )
    adds = "".join(
        f"    hub_app.add_backend(app{n});\n" for n in range(1, len(ports) + 1)
    )
    return (
        f"import directors;\n{backends}"
        f"sub vcl_init {{\n    new hub_app = directors.round_robin();\n{adds}}}\n"
    )


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[EdgeStack]:
    workdir = tmp_path_factory.mktemp("edge")
    if reason := missing_tools(workdir):
        pytest.skip(reason)
    logs = workdir / "logs"
    logs.mkdir()
    edge_port, redis_port = free_port(), free_port()
    app_ports = [free_port(), free_port()]
    edge = f"http://{HOST}:{edge_port}"
    with database(workdir) as (database_url, prepare):
        env = {
            **{k: v for k, v in os.environ.items() if k not in ("CACHE_URL",)},
            "DJANGO_SETTINGS_MODULE": "tests.edge.live_settings",
            "PYTHONPATH": str(ROOT),
            "SECRET_KEY": "edge-test-" + secrets.token_hex(32),
            "DATABASE_URL": database_url,
            "REDIS_URL": f"redis://{HOST}:{redis_port}/0",
            "MEDIA_ROOT": str(workdir / "media"),
            "HUB_STATIC_ROOT": str(workdir / "static"),
            "ALLOWED_HOSTS": HOST,
            "SITE_BASE_URL": edge,
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "SECURE_HSTS_SECONDS": "0",
            "HUB_PROCESSES": str(len(app_ports)),
            "HUB_TRUSTED_PROXY_COUNT": "1",
            "HUB_RATE_LIMIT_REQUESTS": "0",
            "HUB_EDGE_BACKEND": "varnish",
            # One purge per change: a second one, seconds later, would reach into the
            # next scenario and blur what "exact" means there.
            "HUB_EDGE_REPURGE_AFTER": "0",
            "HUB_EDGE_PURGE_URLS": f"{edge}/",
            "CONN_MAX_AGE": "0",
            "LOG_LEVEL": "WARNING",
        }
        live = EdgeStack(edge=edge, apps=[], env=env, logs=logs)
        try:
            live.start(
                "redis",
                [
                    "redis-server",
                    "--bind",
                    HOST,
                    "--port",
                    str(redis_port),
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--maxmemory",
                    "64mb",
                    "--maxmemory-policy",
                    "allkeys-lfu",
                ],
            )
            if prepare:
                prepare_postgres(database_url, workdir / "media")
            # Before the edge runs: nothing to purge yet.
            live.manage(
                "collectstatic", "--no-input", "-v", "0", HUB_EDGE_BACKEND="none"
            )
            for n, port in enumerate(app_ports, 1):
                process = live.start(
                    f"app{n}",
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "hub.wsgi",
                        "--bind",
                        f"{HOST}:{port}",
                        "--workers",
                        "1",
                        "--access-logfile",
                        str(logs / f"app{n}.access.log"),
                    ],
                )
                url = f"http://{HOST}:{port}"
                wait_for(f"{url}/api/v1/cities/", process, logs / f"app{n}.log")
                live.apps.append(url)
            if WORKER_COMMAND.exists():
                live.start("worker", [sys.executable, "manage.py", "run_worker"])
            vcl_dir = workdir / "varnish"
            vcl_dir.mkdir()
            shutil.copy(VCL, vcl_dir / "hub.vcl")
            (vcl_dir / "backends.vcl").write_text(backends_vcl(app_ports))
            varnish = live.start(
                "varnish",
                [
                    "varnishd",
                    "-F",
                    # No privilege separation: the test's files are private to it.
                    "-j",
                    "none",
                    "-n",
                    str(vcl_dir / "work"),
                    "-a",
                    f"{HOST}:{edge_port}",
                    "-f",
                    str(vcl_dir / "hub.vcl"),
                    "-s",
                    "malloc,64m",
                ],
            )
            wait_for(f"{edge}/api/v1/cities/", varnish, logs / "varnish.log")
            yield live
        finally:
            live.stop()
