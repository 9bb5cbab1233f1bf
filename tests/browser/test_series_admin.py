"""An editor sets up a recurring series in Chromium, sees its dates under „Termine“,
cancels dates both ways (a row under „Ausfallende Termine“, a deleted date), and readers
and the API see the rule, the dates and „fällt aus“ (issue 16, item 6)."""

import json
import re
import urllib.request

import pytest

from .conftest import admin_findings as findings
from .conftest import field_error, log_in, type_into

pytestmark = pytest.mark.browser

WEEKLY_TITLE = "Sprachcafé Witten – jeden Donnerstag"
MONTHLY_TITLE = "Elterntreff Hattingen – jeden 2. Dienstag"
# 04.03.2027 is a Thursday; eight weekly dates cross the change to summer time (28.03.).
WEEKLY_DATES = [
    "04.03.2027",
    "11.03.2027",
    "18.03.2027",
    "25.03.2027",
    "01.04.2027",
    "08.04.2027",
    "15.04.2027",
    "22.04.2027",
]


def api(hub, path: str) -> dict:
    with urllib.request.urlopen(hub.url + path) as response:  # noqa: S310 - test server
        return json.load(response)


def save_draft(page) -> None:
    """Save and wait for the answer (the editor again, with or without errors)."""
    with page.expect_navigation():
        page.get_by_role("button", name="Entwurf speichern").click()


def publish(page) -> None:
    page.locator("footer [data-w-dropdown-target=toggle]").first.click()
    page.locator("button[name=action-publish]").click()
    page.wait_for_url(re.compile(r".*/admin/pages/\d+/$"))


def shown_dates(page) -> list[str]:
    """The dates listed under „Termine“, as the editor reads them."""
    fields = page.locator(
        "#id_occurrences-FORMS [data-inline-panel-child]:visible "
        "input[name$='-start_date']"
    )
    return [field.input_value() for field in fields.all()]


def new_event(hub, page, title: str, city: str) -> None:
    parent = api(hub, "/api/v2/pages/?type=pages.EventIndexPage")["items"][0]["id"]
    page.goto(f"{hub.url}/admin/pages/add/pages/eventpage/{parent}/")
    page.locator("form#page-edit-form").wait_for()
    title_field = page.locator("#id_title")
    title_field.click()
    title_field.press_sequentially(title)
    page.locator("#id_teaser").click()
    page.get_by_role("button", name="Stadt auswählen").click()
    page.locator(".modal-content a", has_text=city).first.click()
    page.locator(".modal-content").wait_for(state="hidden")


def field_errors(page) -> dict[str, str]:
    """The admin's error messages after saving, by the name of their field."""
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('.error-message')]
            .map((error) => {
                const wrapper = error.closest('[data-field-wrapper]');
                const field = wrapper && wrapper.querySelector('[name]');
                return [field ? field.name : '(form)', error.textContent.trim()];
            }))"""
    )


def add_series(page, **fields: str) -> None:
    """Open the „Serie“ panel and fill it: dates and times typed, choices picked."""
    page.locator("#id_recurrences-ADD").click()
    prefix = "recurrences-0-"
    page.locator(f"input[name='{prefix}start_date']").wait_for()
    for name in ("start_date", "start_time", "end_time", "until"):
        if name in fields:
            type_into(page, f"input[name='{prefix}{name}']", fields[name])
            # What the editor typed is what the field shows (the picker kept it).
            field = page.locator(f"input[name='{prefix}{name}']")
            assert field.input_value() == fields[name], name
    for name in ("frequency", "weekday_ordinal"):
        if name in fields:
            page.locator(f"select[name='{prefix}{name}']").select_option(
                label=fields[name]
            )
    for name in ("interval", "count"):
        if name in fields:
            type_into(page, f"input[name='{prefix}{name}']", fields[name])


def add_cancellation(page, date: str, note: str = "") -> None:
    forms = page.locator("#id_cancellations-FORMS [data-inline-panel-child]")
    index = forms.count()
    page.locator("#id_cancellations-ADD").click()
    date_field = f"input[name='cancellations-{index}-date']"
    page.locator(date_field).wait_for()
    type_into(page, date_field, date)
    page.keyboard.press("Escape")
    if note:
        type_into(page, f"input[name='cancellations-{index}-note']", note)


def delete_date(page, date: str) -> None:
    """Click the bin of the row under „Termine“ that shows `date`."""
    rows = page.locator("#id_occurrences-FORMS [data-inline-panel-child]:visible")
    for row in rows.all():
        if row.locator("input[name$='-start_date']").input_value() == date:
            row.locator("button[id$='-DELETE-button']").click()
            return
    raise AssertionError(f"{date} is not listed under „Termine“")


def test_editor_creates_a_weekly_series_and_cancels_two_dates(hub, page):
    log_in(hub, page)
    new_event(hub, page, WEEKLY_TITLE, "Witten")
    add_series(
        page,
        start_date="04.03.2027",
        start_time="18:00",
        end_time="20:00",
        frequency="wöchentlich / alle n Wochen",
        count="8",
    )
    page.keyboard.press("Escape")
    assert findings(page) == []
    save_draft(page)
    assert field_errors(page) == {}
    page.wait_for_url(re.compile(r".*/admin/pages/\d+/edit/$"))
    pk = int(re.search(r"/pages/(\d+)/edit/", page.url).group(1))

    # The generated dates are listed under „Termine“, with the series' times.
    assert shown_dates(page) == WEEKLY_DATES
    assert page.locator("input[name='occurrences-3-start_time']").input_value() == (
        "18:00"
    )

    # A cancellation that is not a date of the series is refused on its field.
    add_cancellation(page, "19.03.2027")
    save_draft(page)
    assert field_error(page, "cancellations-0-date") == (
        "Der 19.03.2027 ist kein Termin der Serie. Bitte wählen Sie ein Datum, das "
        "die Serie ergibt."
    )
    assert page.locator("input[name='cancellations-0-date']").input_value() == (
        "19.03.2027"
    )

    # Both ways: a row under „Ausfallende Termine“ and a deleted date under „Termine“.
    type_into(page, "input[name='cancellations-0-date']", "18.03.2027")
    page.keyboard.press("Escape")
    type_into(page, "input[name='cancellations-0-note']", "Ferien")
    delete_date(page, "08.04.2027")
    assert findings(page) == []
    publish(page)

    page.goto(f"{hub.url}/admin/pages/{pk}/edit/")
    remaining = [d for d in WEEKLY_DATES if d not in {"18.03.2027", "08.04.2027"}]
    assert shown_dates(page) == remaining
    cancelled = page.locator("#id_cancellations-FORMS input[name$='-date']")
    assert sorted(field.input_value() for field in cancelled.all()) == [
        "08.04.2027",
        "18.03.2027",
    ]

    event = api(hub, f"/api/v1/events/{pk}/")
    assert event["recurrence"]["text"] == (
        "jeden Donnerstag, 8 Termine, davon fallen 2 aus"
    )
    assert event["recurrence"]["rrule"] == "FREQ=WEEKLY;BYDAY=TH;COUNT=8"
    assert event["recurrence"]["cancelled_dates"] == ["2027-03-18", "2027-04-08"]
    starts = [o["start"] for o in event["occurrences"]]
    assert starts == [
        "2027-03-04T18:00:00+01:00",
        "2027-03-11T18:00:00+01:00",
        "2027-03-25T18:00:00+01:00",
        "2027-04-01T18:00:00+02:00",
        "2027-04-15T18:00:00+02:00",
        "2027-04-22T18:00:00+02:00",
    ]

    page.goto(event["url"])
    assert page.locator("p.series-rule").inner_text() == (
        "Jeden Donnerstag, 18:00–20:00 Uhr, 8 Termine, davon fallen 2 aus; "
        "die nächsten Termine:"
    )
    listed = page.locator("ul.occurrences time").evaluate_all(
        "nodes => nodes.map(node => node.getAttribute('datetime').slice(0, 10))"
    )
    assert "2027-03-18" not in listed and "2027-04-08" not in listed
    assert len(listed) == 6
    cancelled_items = page.locator("ul.cancelled li").all_inner_texts()
    assert len(cancelled_items) == 2
    assert all("fällt aus" in item for item in cancelled_items)
    assert "Ferien" in cancelled_items[0]


def test_editor_sets_up_every_second_tuesday_across_the_autumn_change(hub, page):
    log_in(hub, page)
    new_event(hub, page, MONTHLY_TITLE, "Hattingen")
    # 14.09.2027 is the second Tuesday of September; summer time ends on 31.10.2027.
    add_series(
        page,
        start_date="14.09.2027",
        start_time="19:00",
        end_time="21:00",
        frequency="monatlich am n-ten Wochentag",
        weekday_ordinal="2.",
        until="31.12.2027",
    )
    page.keyboard.press("Escape")
    publish(page)
    events = api(hub, "/api/v1/events/?city=hattingen&limit=100")["results"]
    pk = next(event["id"] for event in events if event["title"] == MONTHLY_TITLE)

    page.goto(f"{hub.url}/admin/pages/{pk}/edit/")
    assert shown_dates(page) == ["14.09.2027", "12.10.2027", "09.11.2027", "14.12.2027"]
    event = api(hub, f"/api/v1/events/{pk}/")
    assert event["recurrence"]["text"] == "jeden 2. Dienstag im Monat, bis 31.12.2027"
    assert (
        event["recurrence"]["rrule"] == "FREQ=MONTHLY;BYDAY=2TU;UNTIL=20271231T225959Z"
    )
    assert [o["start"] for o in event["occurrences"]] == [
        "2027-09-14T19:00:00+02:00",
        "2027-10-12T19:00:00+02:00",
        "2027-11-09T19:00:00+01:00",
        "2027-12-14T19:00:00+01:00",
    ]

    # A first date that is not the chosen weekday of its month is refused on the field.
    type_into(page, "input[name='recurrences-0-start_date']", "21.09.2027")
    page.keyboard.press("Escape")
    save_draft(page)
    assert field_error(page, "recurrences-0-start_date") == (
        "Der 21.09.2027 ist nicht der 2. Dienstag im Monat. Bitte wählen Sie als "
        "ersten Termin einen Tag, auf den die Regel passt."
    )
