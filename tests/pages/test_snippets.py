"""Deleting a directory entry that content still uses is refused, never cascaded."""

from django.db.models import ProtectedError
from django.urls import reverse

import pytest

from pages.models import EventPage
from pages.snippets import City, ContactPerson, TargetGroup, Venue
from tests.factories import ContactPersonFactory, TargetGroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client, django_user_model):
    user = django_user_model.objects.create_superuser(
        "admin", "admin@example.org", "pw"
    )
    client.force_login(user)
    return client


def delete_url(obj) -> str:
    return reverse(
        f"wagtailsnippets_pages_{obj._meta.model_name}:delete", args=(obj.pk,)
    )


@pytest.mark.parametrize(
    "get_obj",
    [
        lambda: Venue.objects.get(name="Kreishaus Schwelm"),
        lambda: ContactPerson.objects.get(name="Irina Schumach"),
    ],
    ids=["venue", "contact"],
)
def test_entries_referenced_by_foreign_key_cannot_be_deleted(admin, get_obj):
    obj = get_obj()
    response = admin.get(delete_url(obj))
    assert response.status_code == 200
    assert response.context["is_protected"]
    assert "action-delete" not in response.content.decode()
    admin.post(delete_url(obj))
    assert type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(
    ("model", "slug"),
    [(TargetGroup, "sprachkundige"), (City, "witten")],
    ids=["group", "city"],
)
def test_term_in_use_is_refused_with_a_german_message(admin, method, model, slug):
    term = model.objects.get(slug=slug)
    users = set(_events_using(term))
    assert users
    response = getattr(admin, method)(delete_url(term), follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any("kann nicht gelöscht werden" in m for m in messages)
    assert model.objects.filter(pk=term.pk).exists()
    assert set(_events_using(term)) == users


def test_term_in_use_is_protected_outside_the_admin_too():
    group = TargetGroup.objects.get(slug="sprachkundige")
    with pytest.raises(ProtectedError):
        group.delete()
    with pytest.raises(ProtectedError):
        TargetGroup.objects.filter(slug__in=["sprachkundige", "lehrkraefte"]).delete()
    assert EventPage.objects.filter(target_groups=group).exists()


def test_unused_entries_can_be_deleted(admin):
    group = TargetGroupFactory()
    contact = ContactPersonFactory()
    for obj in (group, contact):
        response = admin.post(delete_url(obj))
        assert response.status_code == 302
        assert not type(obj).objects.filter(pk=obj.pk).exists()


def _events_using(term) -> list[int]:
    relation = "city" if isinstance(term, City) else "target_groups"
    return list(
        EventPage.objects.filter(**{relation: term}).values_list("pk", flat=True)
    )
