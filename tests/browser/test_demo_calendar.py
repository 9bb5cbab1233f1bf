"""The demo as `make run` shows it, in Chromium: its calendar moved into the coming
months fills the home page, the upcoming lists, the embeds and the editors' dashboard;
`--dates seed` brings back the dates as the office published them."""

import datetime as dt

import pytest

from .conftest import log_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def moved_demo(hub):
    """This module's hub with the demo calendar of `make run` (the default)."""
    output = hub.manage("load_demo_content", "--dates", "upcoming")
    assert "Veranstaltungen neu datiert: 14" in output
    assert "Sprachcafé Witten" in output
    return hub


def test_the_home_page_shows_the_next_events(moved_demo, page):
    page.goto(moved_demo.url + "/")
    events = page.locator(
        "section", has=page.locator("h2", has_text="Nächste Veranstaltungen")
    )
    titles = events.locator("h3").all_inner_texts()
    # The demo's weekly series comes first (next Thursday), then the seed's next event.
    assert titles[:2] == ["Sprachcafé Witten", "Healing Classrooms – 4. Workshop"]
    assert len(titles) == 5
    workshop = dt.datetime.fromisoformat(
        events.locator("li").nth(1).locator("time").get_attribute("datetime")
    ).date()
    assert dt.date.today() < workshop <= dt.date.today() + dt.timedelta(weeks=3)
    # Same weekday as the seed's Thursday, 28 May 2020.
    assert workshop.weekday() == dt.date(2020, 5, 28).weekday()
    events.get_by_role("link", name="Alle kommenden Veranstaltungen (11)").click()
    page.wait_for_url("**/veranstaltungen/?upcoming=true")
    assert page.get_by_role("heading", name="11 Einträge").is_visible()


def test_a_partner_embed_of_upcoming_events_is_not_empty(moved_demo, page):
    page.goto(moved_demo.url + "/embed/events/?upcoming=true&limit=3")
    entries = page.locator("li").all_inner_texts()
    assert len(entries) == 3
    assert "Sprachcafé Witten" in entries[0]
    assert "Healing Classrooms – 4. Workshop" in entries[1]


def test_the_dashboard_shows_what_is_coming_and_what_needs_a_decision(moved_demo, page):
    log_in(moved_demo, page)
    upcoming = page.locator(
        "section",
        has=page.locator("h2", has_text="Veranstaltungen der nächsten vier Wochen"),
    )
    assert "Healing Classrooms – 4. Workshop" in upcoming.inner_text()
    assert "Sprachcafé Witten" in upcoming.inner_text()
    pending = page.locator(
        "section", has=page.locator("h2", has_text="Termine vorbei, Status noch offen")
    )
    # Postponed on 22 April 2020 without a new date: still "wird verschoben".
    assert "Healing Classrooms – 3. Workshop" in pending.inner_text()


def test_the_seed_dates_come_back_on_request(moved_demo, page):
    output = moved_demo.manage("load_demo_content", "--dates", "seed")
    assert "wie auf der Originalseite" in output
    page.goto(moved_demo.url + "/")
    events = page.locator(
        "section", has=page.locator("h2", has_text="Nächste Veranstaltungen")
    )
    assert "Zurzeit sind keine Veranstaltungen angekündigt" in events.inner_text()
    page.goto(moved_demo.url + "/veranstaltungen/?upcoming=false")
    assert page.get_by_role("heading", name="14 Einträge").is_visible()
    # The demo's own series is offline on the seed's calendar.
    page.goto(moved_demo.url + "/veranstaltungen/")
    assert page.get_by_role("heading", name="14 Einträge").is_visible()
