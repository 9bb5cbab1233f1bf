"""A city's editors touch only their city's events; the office's editors touch all."""

from django.core.management import call_command
from django.urls import reverse

from wagtail.models import Page

import pytest

from pages.models import EventPage
from pages.snippets import City

from .test_admin import add_url, event_form

pytestmark = pytest.mark.django_db


def login(client, django_user_model, username: str):
    call_command("ensure_demo_editor", stdout=open("/dev/null", "w"))  # noqa: SIM115
    client.force_login(django_user_model.objects.get(username=username))
    return client


@pytest.fixture
def witten(client, django_user_model):
    return login(client, django_user_model, "witten")


@pytest.fixture
def office(client, django_user_model):
    return login(client, django_user_model, "redaktion")


def event_in(slug: str) -> EventPage:
    return EventPage.objects.filter(city__slug=slug).order_by("pk").first()


def admin(name: str, *args) -> str:
    return reverse(f"wagtailadmin_pages:{name}", args=args)


def test_witten_editor_edits_a_witten_event_but_not_a_hattingen_one(witten):
    assert witten.get(admin("edit", event_in("witten").pk)).status_code == 200
    hattingen = event_in("hattingen")
    for view in ("edit", "delete", "move", "copy", "unpublish"):
        response = witten.get(admin(view, hattingen.pk))
        assert response.status_code in {302, 403}, view
        assert response.status_code == 403 or response["Location"] == "/admin/"


def test_witten_editor_cannot_post_changes_to_a_hattingen_event(witten):
    hattingen = event_in("hattingen")
    title = hattingen.title
    form = event_form(title="Übernommen", slug=hattingen.slug, city=hattingen.city_id)
    form.pop("action-publish")
    witten.post(admin("edit", hattingen.pk), form)
    witten.post(admin("delete", hattingen.pk))
    witten.post(admin("unpublish", hattingen.pk))
    witten.post(admin("lock", hattingen.pk))
    hattingen.refresh_from_db()
    assert (hattingen.title, hattingen.live, hattingen.locked) == (title, True, False)


def test_witten_editor_cannot_save_an_event_into_another_city(witten, demo):
    form = event_form(city=City.objects.get(slug="hattingen").pk)
    form.pop("action-publish")
    response = witten.post(add_url(EventPage, demo.events), form)
    assert response.status_code == 200
    assert "nur für Ihre Stadt" in str(response.context["form"].errors["city"])
    witten_event = event_in("witten")
    response = witten.get(admin("edit", witten_event.pk))
    choices = list(response.context["form"].fields["city"].queryset)
    assert choices == [City.objects.get(slug="witten")]


def test_witten_editor_creates_a_witten_event_but_cannot_publish_it(witten, demo):
    response = witten.post(add_url(EventPage, demo.events), event_form())
    event = EventPage.objects.get(slug="sprachcafe-witten")
    assert not event.live
    form = event_form()
    form.pop("action-publish")
    response = witten.post(admin("edit", event.pk), {**form, "action-publish": "1"})
    event.refresh_from_db()
    assert response.status_code in {200, 302, 403} and not event.live


def test_bulk_actions_refuse_other_cities_events(witten):
    hattingen = event_in("hattingen")
    own = event_in("witten")
    for action in ("publish", "unpublish", "delete", "move"):
        url = (
            reverse("wagtail_bulk_action", args=("wagtailcore", "page", action))
            + f"?id={hattingen.pk}&id={own.pk}"
        )
        response = witten.get(url)
        if response.status_code == 200:
            allowed = [item["item"].pk for item in response.context["items"]]
            assert hattingen.pk not in allowed, action
        witten.post(url, {"move_applicable": "on"})
    hattingen.refresh_from_db()
    assert hattingen.live and EventPage.objects.filter(pk=hattingen.pk).exists()


def test_listing_and_explorer_show_only_own_city_to_city_editors(witten, demo):
    for url in (
        reverse("events:index"),
        reverse("wagtailadmin_explore", args=(demo.events.pk,)),
    ):
        response = witten.get(url)
        assert response.status_code == 200
        pages = response.context["object_list"]
        assert pages and {page.specific.city.slug for page in pages} == {"witten"}


def test_office_editor_sees_and_edits_every_city(office):
    response = office.get(reverse("events:index"))
    cities = {page.specific.city.slug for page in response.context["object_list"]}
    assert {"witten", "hattingen"} <= cities
    assert office.get(admin("edit", event_in("hattingen").pk)).status_code == 200


def test_policy_and_tester_agree_for_choosers_and_reports(django_user_model, demo):
    from wagtail.permissions import policy_registry

    call_command("ensure_demo_editor", stdout=open("/dev/null", "w"))  # noqa: SIM115
    user = django_user_model.objects.get(username="witten")
    policy = policy_registry.get_by_type(Page)
    hattingen, own = event_in("hattingen"), event_in("witten")
    assert not policy.user_has_permission_for_instance(user, "change", hattingen)
    assert policy.user_has_permission_for_instance(user, "change", own)
    assert not policy.user_has_permission_for_instance(user, "publish", own)
    editable = policy.instances_user_has_permission_for(user, "change")
    assert own.pk in set(editable.values_list("pk", flat=True))
    assert hattingen.pk not in set(editable.values_list("pk", flat=True))
    assert not demo.events.permissions_for_user(user).can_edit()
    assert demo.events.permissions_for_user(user).can_add_subpage()
    page = Page.objects.get(pk=hattingen.pk)  # not specific, as choosers load it
    tester = page.permissions_for_user(user)
    assert not (tester.can_edit() or tester.can_copy() or tester.can_move())
    assert not tester.can_lock()
    # The move chooser offers no destination: the events index takes no move either.
    assert not own.permissions_for_user(user).can_move_to(demo.events)


def test_administrators_map_groups_to_cities_in_the_settings(client, admin_user):
    client.force_login(admin_user)
    call_command("ensure_demo_editor", stdout=open("/dev/null", "w"))  # noqa: SIM115
    response = client.get(reverse("stadtredaktionen:index"))
    assert response.status_code == 200
    assert "Redaktion Witten" in response.content.decode()
    assert (
        "Stadtredaktionen" in client.get(reverse("wagtailadmin_home")).content.decode()
    )
