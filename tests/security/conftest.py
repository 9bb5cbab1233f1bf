import pytest

from .world import build_world, destroy_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The hidden world, committed once per module (like the demo content) and removed after."""
    with django_db_blocker.unblock():
        built = build_world()
    yield built
    with django_db_blocker.unblock():
        destroy_world(built)
