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


def dev_setting(name: str, **env: str) -> str:
    environment = {"DJANGO_SETTINGS_MODULE": "hub.settings.dev", **env}
    environment.setdefault("ALLOWED_HOSTS", "")
    result = run_manage(
        "shell",
        "-v",
        "0",
        "-c",
        f"from django.conf import settings; print(settings.{name})",
        **environment,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_development_accepts_the_host_links_point_to():
    hosts = dev_setting("ALLOWED_HOSTS", SITE_BASE_URL="http://devbox:8080")
    assert "'devbox'" in hosts and "'localhost'" in hosts
    # `make run HOST=0.0.0.0` sets ALLOWED_HOSTS=* for other machines.
    assert dev_setting("ALLOWED_HOSTS", ALLOWED_HOSTS="*") == "['*']"


def test_websub_hub_must_be_a_web_url():
    result = run_manage(
        "check", DJANGO_SETTINGS_MODULE="hub.settings.dev", HUB_WEBSUB_HUB="hub.example"
    )
    assert result.returncode != 0
    assert "HUB_WEBSUB_HUB" in result.stderr


def test_mail_settings_come_from_the_environment(monkeypatch):
    from hub.settings.base import email_config

    monkeypatch.setenv(
        "EMAIL_URL", "smtp+tls://hub%40kreis.de:geh%2Feim@mail.kreis.de:587"
    )
    config = email_config()
    assert config["EMAIL_HOST"] == "mail.kreis.de" and config["EMAIL_PORT"] == 587
    assert (config["EMAIL_HOST_USER"], config["EMAIL_HOST_PASSWORD"]) == (
        "hub@kreis.de",
        "geh/eim",
    )
    assert config["EMAIL_USE_TLS"] and not config["EMAIL_USE_SSL"]
    monkeypatch.setenv("EMAIL_URL", "file:///tmp/hub-mail")
    assert email_config()["EMAIL_FILE_PATH"] == "/tmp/hub-mail"  # noqa: S108
    monkeypatch.delenv("EMAIL_URL")
    monkeypatch.setenv("EMAIL_HOST", "relay.kreis.de")
    monkeypatch.setenv("EMAIL_PORT", "2525")
    assert email_config()["EMAIL_PORT"] == 2525
    monkeypatch.delenv("EMAIL_HOST")
    assert email_config("console")["EMAIL_BACKEND"] == "console"
