import os
import shutil
import tempfile
import time
from pathlib import Path

from django.conf import settings

import pytest

from pages.demo.loader import DemoContentLoader

# `make mutants` runs the tests once per mutant: a copy of a database already migrated
# and holding the demo content (tests/mutants_db.py) saves the setup each time.
DB_TEMPLATE = os.environ.get("HUB_TEST_DB_TEMPLATE")

if DB_TEMPLATE:

    @pytest.fixture(scope="session")
    def django_db_setup(django_db_blocker):
        """A private copy of the prepared SQLite database for this test session."""
        from django.db import connections

        template = Path(DB_TEMPLATE)
        handle, name = tempfile.mkstemp(suffix=".sqlite3", prefix="hub-mutant-")
        os.close(handle)
        shutil.copyfile(template, name)
        settings.MEDIA_ROOT = str(template.parent / "media")
        with django_db_blocker.unblock():
            connections["default"].close()
        connections["default"].settings_dict["NAME"] = name
        settings.DATABASES["default"]["NAME"] = name
        yield
        with django_db_blocker.unblock():
            connections["default"].close()
        os.unlink(name)

else:

    @pytest.fixture(scope="session")
    def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory):
        """Every test starts from the seed's demo content, loaded once per test database.

        Without the demo's translations: the tests translate what they need themselves
        (tests/i18n/test_demo_translations.py loads the demo's own)."""
        settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
        with django_db_blocker.unblock():
            DemoContentLoader(log=lambda message: None, translations=False).run()
        # Within the second of the last change responses carry no Last-Modified (an
        # HTTP date could not tell two changes in it apart): start after it.
        time.sleep(1)


@pytest.fixture
def demo():
    """Handles to the demo site's pages, for tests that add content under them."""
    from pages.models import (
        EventIndexPage,
        HomePage,
        NewsletterIndexPage,
        PressIndexPage,
        ProgrammeIndexPage,
    )

    class Demo:
        home = HomePage.objects.get(locale__language_code="de")
        events = EventIndexPage.objects.get(locale__language_code="de")
        press = PressIndexPage.objects.get(locale__language_code="de")
        programmes = ProgrammeIndexPage.objects.get(locale__language_code="de")
        newsletters = NewsletterIndexPage.objects.get(locale__language_code="de")

    return Demo


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, so no response leaks between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def keep_test_connection():
    """Like Django's test client: raw WSGI calls must not close the test's DB connection.

    A raw WSGI call ends with `close_old_connections`, which closes a connection inside
    the test transaction (PostgreSQL then fails every following query).
    """
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
