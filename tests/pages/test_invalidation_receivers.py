"""Each kind of public change retires every stored response at once: the very next
request is answered from the data again (and gets a new ETag where its body changed,
see tests/api/test_validators.py); a change the public cannot see retires nothing."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.documents import get_document_model
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    PageViewRestriction,
    Site,
)

import pytest

from embeds.models import EmbedSettings
from pages import sync
from pages.changes import content_changed
from pages.models import EventContact, EventPage
from pages.queries import DEFAULT_SITE_ROOT_KEY
from pages.snippets import City
from tests.factories import (
    CityFactory,
    ContactPersonFactory,
    DocumentFactory,
    GroupFactory,
    ImageFactory,
    TargetGroupFactory,
    TopicFactory,
    VenueFactory,
)
from tests.queries import STATE_READ

pytestmark = pytest.mark.django_db

URLS = ["/api/v1/cities/", "/feeds/events.rss", "/embed/events/", "/sitemap.xml"]


def event() -> EventPage:
    return EventPage.objects.get(slug="woche-der-vielfalt-2020")


def restriction_with_a_group():
    restriction = CollectionViewRestriction.objects.create(
        collection=Collection.get_first_root_node(), restriction_type="groups"
    )
    group = GroupFactory()
    return lambda: restriction.groups.add(group)


def shown(entry, role: str):
    """`entry`, shown with the event from now on (published)."""
    page = event()
    if role == "contact":
        page.contacts.add(EventContact(contact=entry))
    else:
        setattr(page, role, entry)
    page.save_revision().publish()
    return entry


def renamed(instance, field="name"):
    def change():
        setattr(instance, field, getattr(instance, field) + " (neu)")
        instance.save()

    return change


# Each entry arranges what it needs and returns the change itself.
CHANGES = {
    "publish": lambda: lambda: event().save_revision().publish(),
    "unpublish": lambda: lambda: event().unpublish(),
    "delete page": lambda: lambda: event().delete(),
    "move page": lambda: (
        lambda: event().move(event().get_parent().get_parent(), pos="last-child")
    ),
    "page view restriction": lambda: (
        lambda: PageViewRestriction.objects.create(
            page=event(), restriction_type="login"
        )
    ),
    "collection view restriction": lambda: (
        lambda: CollectionViewRestriction.objects.create(
            collection=Collection.get_first_root_node(), restriction_type="login"
        )
    ),
    "collection restriction groups": restriction_with_a_group,
    "collection": lambda: renamed(Collection.get_first_root_node()),
    "document": lambda: renamed(get_document_model().objects.first(), "title"),
    "image": lambda: renamed(shown(ImageFactory(), "image"), "title"),
    "site": lambda: renamed(Site.objects.get(is_default_site=True), "site_name"),
    "city": lambda: renamed(City.objects.get(slug="witten")),
    "delete city": lambda: CityFactory().delete,
    "target group": lambda: lambda: TargetGroupFactory(),
    "topic": lambda: lambda: TopicFactory(),
    "contact": lambda: renamed(shown(ContactPersonFactory(), "contact")),
    "venue": lambda: renamed(shown(VenueFactory(), "venue")),
}


def answered_from_the_store(client, url: str, etag: str) -> bool:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers={"If-None-Match": etag})
    return response.status_code == 304 and len(queries) <= STATE_READ


@pytest.mark.parametrize("arrange", CHANGES.values(), ids=CHANGES.keys())
def test_change_makes_every_stored_etag_stale(
    client, django_capture_on_commit_callbacks, arrange
):
    change = arrange()
    etags = {url: client.get(url)["ETag"] for url in URLS}
    for url, etag in etags.items():
        assert answered_from_the_store(client, url, etag), url
    with django_capture_on_commit_callbacks(execute=True):
        change()
    for url, etag in etags.items():
        assert not answered_from_the_store(client, url, etag), url


NOT_PUBLIC = {
    "new document": DocumentFactory,
    "new image": ImageFactory,
    "new contact": ContactPersonFactory,
    "new venue": lambda: VenueFactory(city=City.objects.get(slug="witten")),
    "draft saved": lambda: event().save_revision(),
}


@pytest.mark.parametrize("change", NOT_PUBLIC.values(), ids=NOT_PUBLIC.keys())
def test_what_nothing_public_shows_retires_nothing(
    client, django_capture_on_commit_callbacks, change
):
    etags = {url: client.get(url)["ETag"] for url in URLS}
    with django_capture_on_commit_callbacks(execute=True):
        change()
    for url, etag in etags.items():
        assert answered_from_the_store(client, url, etag), url


def other_site() -> Site:
    return Site.objects.create(hostname="andere.example", root_page=event())


TREE_CHANGES = {
    "save site": lambda: renamed(Site.objects.get(is_default_site=True), "site_name"),
    "add site": lambda: other_site,
    "delete site": lambda: other_site().delete,
    "move page": CHANGES["move page"],
}


@pytest.fixture
def without_change_log():
    """The change log's pass after the commit reads pages again (and so remembers the
    root anew, correctly): to see that the change itself forgot it, leave it out."""
    content_changed.disconnect(dispatch_uid="pages.sync")
    yield
    sync.connect()


@pytest.mark.parametrize("arrange", TREE_CHANGES.values(), ids=TREE_CHANGES.keys())
def test_site_and_tree_changes_forget_the_default_site_root(
    client, django_capture_on_commit_callbacks, arrange, without_change_log
):
    change = arrange()
    client.get("/api/v1/events/")
    assert cache.get(DEFAULT_SITE_ROOT_KEY) is not None
    with django_capture_on_commit_callbacks(execute=True):
        change()
    assert cache.get(DEFAULT_SITE_ROOT_KEY) is None


@pytest.mark.parametrize("delete", [False, True], ids=["save", "delete"])
def test_embed_settings_take_effect_at_once(client, delete):
    settings_row = EmbedSettings.load()
    settings_row.allowed_origins = "https://www.witten.de"
    settings_row.save()
    before = client.get("/embed/events/")["Content-Security-Policy"]
    assert "https://www.witten.de" in before
    if delete:
        settings_row.delete()
    else:
        settings_row.allowed_origins = "https://www.hattingen.de"
        settings_row.save()
    after = client.get("/embed/events/")["Content-Security-Policy"]
    assert "https://www.witten.de" not in after
    assert ("https://www.hattingen.de" in after) is not delete
