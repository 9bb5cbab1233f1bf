import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, **env}
    environment.pop("DATABASE_URL", None)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_pass_the_deploy_check():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="hub.settings.production",
        SECRET_KEY="x" * 20 + "production-secret-for-the-check-only-0123456789",
        ALLOWED_HOSTS="hub.example.org",
    )
    assert result.returncode == 0, result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage(
        "check", DJANGO_SETTINGS_MODULE="hub.settings.production", SECRET_KEY=""
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_the_demo_editor():
    result = run_manage(
        "ensure_demo_editor",
        DJANGO_SETTINGS_MODULE="hub.settings.production",
        SECRET_KEY="y" * 60,
    )
    assert result.returncode != 0
    assert "abgeschaltet" in result.stderr
