"""`make serve`'s first step: the environment and the production settings, each
problem on one line (never a traceback); exit status 1 when the hub cannot start."""

import os
import sys

import django
from django.core.exceptions import ImproperlyConfigured

REQUIRED = ("DATABASE_URL", "REDIS_URL", "SECRET_KEY")


def problem() -> str | None:
    missing = [name for name in REQUIRED if not os.environ.get(name)]
    if missing:
        return f'set {", ".join(missing)} in the environment (README "Production").'
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings.production")
    try:
        django.setup()
    except ImproperlyConfigured as error:
        return str(error)
    return None


if __name__ == "__main__":
    if (message := problem()) is not None:
        sys.exit(f"make serve: {message}")
