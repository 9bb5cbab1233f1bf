"""axe-core in Chromium on the screens editors work in, in the states an editor brings
them into: the dashboard (the office's and a Witten editor's, narrowed to Witten), the
event editor (an existing event with date picker, error and side panels; a new event
with the city chooser and its errors) and the embed builder. Any serious or critical
finding fails, except the few Wagtail itself causes (listed in `conftest.WAGTAIL_CORE`)."""

import json

import pytest

from .conftest import EDITOR, log_in
from .conftest import admin_findings as findings

pytestmark = pytest.mark.browser

WITTEN_EDITOR = ("browser-a11y-witten", "browser-a11y-witten-passwort-1")
WITTEN_EVENT = "Barrierefrei geprüft in Witten"
HATTINGEN_EVENT = "Barrierefrei geprüft in Hattingen"
SETUP = """
import datetime as dt
import json
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from pages.models import EventIndexPage, EventOccurrence, EventPage
from pages.snippets import City
user = get_user_model().objects.create_user(
    {username!r}, "a11y-witten@example.org", {password!r}
)
user.groups.add(Group.objects.get(name="Redaktion Witten"))
index = EventIndexPage.objects.get(locale__language_code="de")
ids = {{"index": index.pk}}
for slug, title, days in (("witten", {witten!r}, 4), ("hattingen", {hattingen!r}, 6)):
    event = EventPage(title=title, city=City.objects.get(slug=slug))
    event.occurrences.add(
        EventOccurrence(
            start_date=timezone.localdate() + dt.timedelta(days=days),
            start_time=dt.time(15),
        )
    )
    index.add_child(instance=event)
    event.save_revision().publish()
    ids[slug] = event.pk
print(json.dumps(ids))
"""


@pytest.fixture(scope="module")
def content(hub):
    """A Witten editor's account, and a Witten and a Hattingen event in the coming days
    (the demo content's events lie in the past)."""
    hub.manage("city_editor_group", "witten")
    script = SETUP.format(
        username=WITTEN_EDITOR[0],
        password=WITTEN_EDITOR[1],
        witten=WITTEN_EVENT,
        hattingen=HATTINGEN_EVENT,
    )
    return json.loads(hub.manage("shell", "-c", script).strip().splitlines()[-1])


def open_editor(page, url: str) -> None:
    page.goto(url)
    page.locator("form#page-edit-form").wait_for()


def save_draft(page) -> None:
    page.get_by_role("button", name="Entwurf speichern").click()
    page.wait_for_load_state()


def upcoming_panel(page) -> str:
    return page.locator("#hub-upcoming-events-section").inner_text()


def test_office_dashboard_lists_every_city_and_passes_axe(hub, page, content):
    log_in(hub, page, EDITOR)
    upcoming = upcoming_panel(page)
    assert WITTEN_EVENT in upcoming and HATTINGEN_EVENT in upcoming
    assert findings(page) == []


def test_witten_editors_dashboard_lists_only_witten_and_passes_axe(hub, page, content):
    log_in(hub, page, WITTEN_EDITOR)
    upcoming = upcoming_panel(page)
    assert WITTEN_EVENT in upcoming
    assert HATTINGEN_EVENT not in upcoming
    assert findings(page) == []


@pytest.mark.parametrize("account", [EDITOR, WITTEN_EDITOR], ids=["office", "witten"])
def test_editor_changes_an_events_date_with_the_picker_and_axe_finds_nothing(
    hub, page, content, account
):
    log_in(hub, page, account)
    open_editor(page, f"{hub.url}/admin/pages/{content['witten']}/edit/")
    assert findings(page) == []

    # The picker, as a mouse or screen reader user meets it: named buttons.
    date = page.locator("input[name='occurrences-0-start_date']")
    date.click()
    next_month = page.get_by_role("button", name="Nächster Monat").locator(
        "visible=true"
    )
    next_month.wait_for()
    assert findings(page) == []
    next_month.click()
    page.locator(".xdsoft_datetimepicker:visible td[data-date='15']").first.click()
    assert date.input_value().startswith("15.")

    # A two-digit year is refused on the field.
    date.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("9.12.26")
    page.keyboard.press("Tab")
    save_draft(page)
    assert "vierstellig" in page.content()
    assert findings(page) == []


def test_side_panels_open_and_closed_pass_axe(hub, page, content):
    log_in(hub, page, EDITOR)
    open_editor(page, f"{hub.url}/admin/pages/{content['hattingen']}/edit/")
    for panel in ("preview", "checks", "status"):
        toggle = page.locator(f"[data-side-panel-toggle='{panel}']")
        toggle.click()
        page.locator(f"[data-side-panel='{panel}']").wait_for()
        assert findings(page) == [], panel
        toggle.click()
        page.locator(f"[data-side-panel='{panel}']").wait_for(state="hidden")
    assert findings(page) == []


@pytest.mark.parametrize("account", [EDITOR, WITTEN_EDITOR], ids=["office", "witten"])
def test_editor_starts_a_new_event_and_axe_finds_nothing(hub, page, content, account):
    log_in(hub, page, account)
    open_editor(page, f"{hub.url}/admin/pages/add/pages/eventpage/{content['index']}/")
    assert findings(page) == []

    if account == EDITOR:  # a city editor's form has their city set, no chooser
        page.get_by_role("button", name="Stadt auswählen").click()
        page.locator(".modal-content a", has_text="Witten").first.wait_for()
        assert findings(page) == []
        page.locator(".modal-content a", has_text="Witten").first.click()
        page.locator(".modal-content").wait_for(state="hidden")

    save_draft(page)  # without a title: the form comes back with messages
    assert page.locator(".error-message").count() >= 1
    assert findings(page) == []


def test_editor_builds_an_embed_and_axe_finds_nothing(hub, page, content):
    log_in(hub, page, EDITOR)
    page.goto(hub.url + "/admin/einbettung/")
    assert findings(page) == []

    page.get_by_label("Stadt", exact=True).select_option(label="Witten")
    page.locator("#embed-code").wait_for()
    assert "witten" in page.locator("#embed-code").input_value()
    assert findings(page) == []

    page.get_by_label("Linkfarbe").fill("blau")
    page.get_by_role("button", name="Vorschau und Code aktualisieren").click()
    page.wait_for_load_state()
    assert "Bitte eine Farbe" in page.content()
    assert findings(page) == []
