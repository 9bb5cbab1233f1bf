from django.conf import settings

import pytest

from pages.demo.loader import DemoContentLoader


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory):
    """Every test starts from the seed's demo content, loaded once per test database."""
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
    with django_db_blocker.unblock():
        DemoContentLoader(log=lambda message: None).run()


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
        home = HomePage.objects.get()
        events = EventIndexPage.objects.get()
        press = PressIndexPage.objects.get()
        programmes = ProgrammeIndexPage.objects.get()
        newsletters = NewsletterIndexPage.objects.get()

    return Demo


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, so no response leaks between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
