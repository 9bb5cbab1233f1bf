"""A Witten editor in Chromium: edits Witten's events, is refused Hattingen's, and
submits a change for the four-eyes review."""

import json
import re

import pytest

from .conftest import log_in

pytestmark = pytest.mark.browser

WITTEN_EDITOR = ("browser-witten", "browser-witten-passwort-1")
SETUP = """
import json
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from pages.models import EventPage
user = get_user_model().objects.create_user(
    {username!r}, "witten@example.org", {password!r}
)
user.groups.add(Group.objects.get(name="Redaktion Witten"))
def first(slug):
    return EventPage.objects.filter(city__slug=slug, live=True).order_by("pk").first()
print(json.dumps({{"witten": first("witten").pk, "hattingen": first("hattingen").pk}}))
"""


@pytest.fixture(scope="module")
def events(hub):
    """The Witten editor's account, and a Witten and a Hattingen event's ids."""
    hub.manage("city_editor_group", "witten")
    script = SETUP.format(username=WITTEN_EDITOR[0], password=WITTEN_EDITOR[1])
    return json.loads(hub.manage("shell", "-c", script).strip().splitlines()[-1])


def test_witten_editor_is_refused_a_hattingen_event_and_submits_a_witten_one(
    hub, page, events
):
    log_in(hub, page, WITTEN_EDITOR)

    # Someone else's city: the editor is sent back with a German refusal.
    page.goto(f"{hub.url}/admin/pages/{events['hattingen']}/edit/")
    assert not page.url.endswith(f"/pages/{events['hattingen']}/edit/")
    assert "keinen Zugang" in page.content()
    assert page.locator("form#page-edit-form").count() == 0

    # The listing shows only Witten's events.
    page.goto(hub.url + "/admin/events/")
    assert page.locator(f"a[href$='/pages/{events['witten']}/edit/']").count() >= 1
    assert page.locator(f"a[href$='/pages/{events['hattingen']}/edit/']").count() == 0

    # Their own city's event opens; publishing is not offered, review is.
    page.goto(f"{hub.url}/admin/pages/{events['witten']}/edit/")
    page.locator("form#page-edit-form").wait_for()
    assert page.locator("button[name=action-publish]").count() == 0
    page.fill("#id_teaser", "Neu: mit Kinderbetreuung.")
    page.locator("[data-w-dropdown-target=toggle]").last.click()
    page.get_by_role(
        "button", name="Zur Freigabe durch die Redaktion einreichen"
    ).click()
    page.wait_for_url(re.compile(r".*/admin/pages/\d+/.*"))
    assert "zur Freigabe" in page.content() or "eingereicht" in page.content()
    page.goto(f"{hub.url}/admin/pages/{events['witten']}/edit/")
    assert "Prüfung durch die Redaktion" in page.content()
