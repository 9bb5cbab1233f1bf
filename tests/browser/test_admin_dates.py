"""An editor types German dates into the event editor, in Chromium, as editors do."""

import json
import re
import urllib.request

import pytest

from .conftest import field_error, log_in, type_into

pytestmark = pytest.mark.browser

EVENT_TITLE = "Laien-Sprachmittlerpool – Grundlagenschulung in Witten"
YEAR_MESSAGE = (
    "Bitte geben Sie das Jahr vierstellig ein (TT.MM.JJJJ), z. B. 09.12.2026."
)


def api(hub, path: str) -> dict:
    with urllib.request.urlopen(hub.url + path) as response:  # noqa: S310 - test server
        return json.load(response)


def event_id(hub) -> int:
    events = api(hub, "/api/v1/events/?city=witten&limit=100")["results"]
    return next(event["id"] for event in events if event["title"] == EVENT_TITLE)


def save_draft(page) -> None:
    page.get_by_role("button", name="Entwurf speichern").click()
    page.wait_for_load_state()


def test_editor_types_german_dates_and_the_event_moves_there(hub, page):
    pk = event_id(hub)
    log_in(hub, page)
    page.goto(f"{hub.url}/admin/pages/{pk}/edit/")
    date = "input[name='occurrences-0-start_date']"
    assert page.locator(date).get_attribute("placeholder") == "TT.MM.JJJJ"
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4}", page.locator(date).input_value())

    # A two-digit year stays as typed (the picker used to make 1909 of it) and is
    # refused on the field; the editor's other changes survive.
    type_into(page, date, "9.12.26")
    assert page.locator(date).input_value() == "9.12.26"
    type_into(page, "input[name=subtitle]", "Jetzt im Dezember")
    save_draft(page)
    assert field_error(page, "occurrences-0-start_date") == YEAR_MESSAGE
    assert page.locator(date).input_value() == "9.12.26"
    assert page.locator("input[name=subtitle]").input_value() == "Jetzt im Dezember"

    # The full date, typed the German way, is kept as typed (not today's date).
    type_into(page, date, "09.12.2026")
    assert page.locator(date).input_value() == "09.12.2026"
    type_into(page, "input[name='occurrences-0-start_time']", "18:30")
    assert page.locator("input[name='occurrences-0-start_time']").input_value() == (
        "18:30"
    )
    type_into(page, "input[name='occurrences-0-end_time']", "20:00")
    save_draft(page)
    assert page.locator(".error-message").count() == 0
    page.goto(f"{hub.url}/admin/pages/{pk}/edit/")
    # Occurrences are listed by date, so December 2026 is now the last one.
    dates = page.locator("input[name^='occurrences-'][name$='-start_date']")
    assert "09.12.2026" in [field.input_value() for field in dates.all()]
    assert page.locator("input[name=subtitle]").input_value() == "Jetzt im Dezember"

    page.locator("[data-w-dropdown-target=toggle]").last.click()
    # The event has translations: the menu also offers „Veröffentlichen: Geringfügige
    # Änderung …“; this is the ordinary publish.
    page.get_by_role("button", name="Veröffentlichen", exact=True).click()
    page.wait_for_url(re.compile(r".*/admin/pages/\d+/"))
    occurrences = api(hub, f"/api/v1/events/{pk}/")["occurrences"]
    assert [o["start"] for o in occurrences if o["start_date"] == "2026-12-09"] == [
        "2026-12-09T18:30:00+01:00"
    ]


def test_impossible_and_partial_dates_are_german_errors_on_the_field(hub, page):
    pk = event_id(hub)
    log_in(hub, page)
    page.goto(f"{hub.url}/admin/pages/{pk}/edit/")
    type_into(page, "input[name='occurrences-1-start_date']", "31.02.2026")
    type_into(page, "input[name='occurrences-2-start_date']", "9.12.")
    type_into(page, "input[name=subtitle]", "Bitte nicht verlieren")
    assert page.locator("input[name='occurrences-1-start_date']").input_value() == (
        "31.02.2026"
    )
    save_draft(page)
    assert field_error(page, "occurrences-1-start_date") == (
        "Den 31.02.2026 gibt es nicht. Bitte prüfen Sie Tag und Monat (TT.MM.JJJJ)."
    )
    assert field_error(page, "occurrences-2-start_date") == (
        "Bitte geben Sie das Datum als TT.MM.JJJJ ein, z. B. 09.12.2026."
    )
    assert page.locator("input[name=subtitle]").input_value() == "Bitte nicht verlieren"
    assert page.locator("input[name='occurrences-2-start_date']").input_value() == (
        "9.12."
    )


def test_editor_schedules_go_live_in_the_dialog_the_german_way(hub, page):
    pk = event_id(hub)
    log_in(hub, page)
    page.goto(f"{hub.url}/admin/pages/{pk}/edit/")
    page.locator("[data-side-panel-toggle=status]").click()
    page.locator("[data-a11y-dialog-show=schedule-publishing-dialog]").first.click()
    go_live = "#schedule-publishing-dialog input[name=go_live_at]"
    type_into(page, go_live, "9.12.30 08:00")
    assert page.locator(go_live).input_value() == "9.12.30 08:00"
    type_into(page, go_live, "09.12.2030 08:00")
    assert page.locator(go_live).input_value() == "09.12.2030 08:00"
    # Tab moved on to the expiry, whose picker opens after 100 ms; a person glances at
    # it, then Tab again leaves it empty and closes it.
    page.wait_for_timeout(300)
    page.keyboard.press("Tab")
    page.locator(".xdsoft_datetimepicker:visible").first.wait_for(state="hidden")
    assert (
        page.locator("#schedule-publishing-dialog input[name=expire_at]").input_value()
        == ""
    )
    page.locator("#schedule-publishing-dialog button.action-save").click()
    page.wait_for_load_state()
    page.goto(f"{hub.url}/admin/pages/{pk}/edit/")
    assert page.locator("input[name=go_live_at]").input_value() == "09.12.2030 08:00"
