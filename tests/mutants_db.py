"""Builds the SQLite database `make mutants` copies for each mutant's test session.

`python -m tests.mutants_db DIRECTORY` migrates `DIRECTORY/template.sqlite3` and loads
the demo content into it (media files under `DIRECTORY/media`, without the demo's
translations), as tests/conftest.py does for every ordinary test database.
"""

import os
import sys
from pathlib import Path


def main(directory: Path) -> None:
    directory = directory.resolve()
    directory.mkdir(parents=True, exist_ok=True)
    database = directory / "template.sqlite3"
    database.unlink(missing_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "hub.settings.test"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"

    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    settings.MEDIA_ROOT = str(directory / "media")

    from pages.demo.loader import DemoContentLoader

    call_command("migrate", verbosity=0, interactive=False)
    DemoContentLoader(log=lambda message: None, translations=False).run()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else ".mutants-db"))
