"""The production recipe as an operator meets it: settings that refuse to start
wrongly, saying why, and a PostgreSQL database that is created when missing."""

import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
POSTGRES = "postgres://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/0"


def run(command: list[str], **env: str) -> subprocess.CompletedProcess:
    """`command` in a fresh environment: production settings, a valid secret."""
    base = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "hub.settings.production",
        "SECRET_KEY": "production-test-" + "k" * 50,
        "DATABASE_URL": f"{POSTGRES}/postgres",
    }
    return subprocess.run(  # noqa: S603 - the tests' own commands
        command,
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def settings_load(**env: str) -> subprocess.CompletedProcess:
    return run([sys.executable, "-c", "import django; django.setup()"], **env)


def preflight(**env: str) -> subprocess.CompletedProcess:
    return run([sys.executable, "deploy/preflight.py"], **env)


def last_line(result: subprocess.CompletedProcess) -> str:
    return result.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize(
    "processes", [{"WEB_CONCURRENCY": "4"}, {"HUB_PROCESSES": "2"}]
)
def test_several_processes_refuse_a_cache_of_their_own(processes):
    result = settings_load(**processes)
    assert result.returncode != 0
    assert last_line(result).endswith(
        "but the cache (LocMemCache) is private to each process: set REDIS_URL "
        "(or CACHE_URL) to a shared redis:// server."
    )


def test_several_processes_start_with_redis_and_one_process_without():
    assert settings_load(WEB_CONCURRENCY="4", REDIS_URL=REDIS).returncode == 0
    assert settings_load(WEB_CONCURRENCY="1").returncode == 0


def test_an_edge_without_its_credentials_refuses_to_start():
    result = settings_load(HUB_EDGE_BACKEND="fastly", HUB_EDGE_SERVICE="abc")
    assert last_line(result).endswith("HUB_EDGE_BACKEND=fastly needs HUB_EDGE_TOKEN.")
    result = settings_load(HUB_EDGE_BACKEND="akamai")
    assert "use one of none, varnish, fastly, cloudflare" in last_line(result)


def test_make_serve_says_in_one_line_what_is_missing():
    result = preflight(DATABASE_URL="", REDIS_URL="", SECRET_KEY="")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "make serve: set DATABASE_URL, REDIS_URL, SECRET_KEY in the environment "
        '(README "Production").'
    )
    short = preflight(REDIS_URL=REDIS, SECRET_KEY="short")
    assert short.returncode == 1
    assert short.stderr.strip() == (
        "make serve: SECRET_KEY must be set to at least 50 random characters."
    )
    assert preflight(REDIS_URL=REDIS, WEB_CONCURRENCY="3").returncode == 0


def postgres_reachable() -> bool:
    try:
        with psycopg.connect(f"{POSTGRES}/postgres", connect_timeout=3):
            return True
    except psycopg.Error:
        return False


@pytest.fixture
def missing_database():
    if not postgres_reachable():
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL at {urlsplit(POSTGRES).netloc} is not reachable")
        pytest.skip(f"PostgreSQL at {urlsplit(POSTGRES).netloc} is not reachable")
    name = f"hub_missing_{secrets.token_hex(6)}"
    yield name
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_missing_database_is_created_once(missing_database):
    url = f"{POSTGRES}/{missing_database}"
    created = run([sys.executable, "manage.py", "ensure_database"], DATABASE_URL=url)
    assert created.returncode == 0, created.stderr
    assert created.stdout.strip() == (
        f'Created database "{missing_database}" at 127.0.0.1:5432.'
    )
    with psycopg.connect(url) as connection:
        assert connection.execute("SELECT current_database()").fetchone() == (
            missing_database,
        )
    again = run([sys.executable, "manage.py", "ensure_database"], DATABASE_URL=url)
    assert again.returncode == 0
    assert again.stdout == again.stderr == ""


def test_an_unreachable_server_is_one_line_not_a_traceback():
    result = run(
        [sys.executable, "manage.py", "ensure_database"],
        DATABASE_URL="postgres://postgres@127.0.0.1:1/hub",
    )
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("CommandError: PostgreSQL at 127.0.0.1:1 refused the")
