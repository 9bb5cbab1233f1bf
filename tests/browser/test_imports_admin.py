"""The office subscribes to a partner's calendar in Chromium, as an editor would: adds
it, fetches it now, reads the run history, opens an imported draft and resolves the
conflicts its edits cause when the source changes too. All of it in German."""

import datetime as dt
import re
import subprocess
import sys

import pytest

from tests.imports.partner import partner_server

from .conftest import ROOT, admin_findings, field_error, log_in, type_into

pytestmark = pytest.mark.browser

# The partner serves on 127.0.0.1, which production settings refuse.
HUB_SETTINGS = "tests.browser.outbound_settings"
OFFICE = ("browser-buero", "browser-buero-passwort-1")
# The office group „Redaktion“ as the demo sets it up (production has no demo accounts).
SETUP = """
from django.contrib.auth import get_user_model
from pages.management.commands.ensure_demo_editor import Command
user = get_user_model().objects.create_user(
    {username!r}, "buero@example.org", {password!r}
)
user.groups.add(Command().ensure_group())
"""
CALENDAR_NAME = "Caritas Witten – Termine"
ENGLISH = re.compile(
    r"\b(Save|Create|Delete|Cancel|Choose|Search|Edit|Add|Runs?|Conflicts?|"
    r"Succeeded|Failed|Enter a valid)\b"
)


def calendar(time: str = "190000") -> bytes:
    """Two single events in the coming weeks and one without a start (an error line)."""
    first = dt.date.today() + dt.timedelta(days=20)
    second = first + dt.timedelta(days=7)
    events = [
        "UID:lesung@caritas-witten.de\nSUMMARY:Lesung in der Stadtbibliothek\n"
        f"DTSTART;TZID=Europe/Berlin:{first:%Y%m%d}T{time}\n"
        "DESCRIPTION:Geschichten aus aller Welt.",
        "UID:erzaehlcafe@caritas-witten.de\nSUMMARY:Erzählcafé\n"
        f"DTSTART;TZID=Europe/Berlin:{second:%Y%m%d}T{time}\n"
        "LOCATION:Haus Witten",
        "UID:ohne-datum@caritas-witten.de\nSUMMARY:Sommerfest",
    ]
    body = "".join(f"BEGIN:VEVENT\n{e}\nEND:VEVENT\n" for e in events)
    text = f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Caritas//DE\n{body}END:VCALENDAR\n"
    return text.replace("\n", "\r\n").encode()


@pytest.fixture(scope="module")
def partner():
    with partner_server() as state:
        state.serve("termine.ics", calendar())
        yield state


@pytest.fixture(scope="module")
def office(hub):
    hub.manage("shell", "-c", SETUP.format(username=OFFICE[0], password=OFFICE[1]))
    return OFFICE


def work_off_queue(hub) -> None:
    """What the worker does: runs the queued fetch."""
    subprocess.run(  # noqa: S603 - fixed arguments
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "run_worker",
            "--batch",
            "--no-scheduler",
            "--no-startup-delay",
        ],
        cwd=ROOT,
        env=hub.env,
        check=True,
        capture_output=True,
        timeout=120,
    )


def main_text(page) -> str:
    return page.locator("main").inner_text()


def open_add_form(hub, page) -> None:
    page.goto(hub.url + "/admin/")
    page.get_by_role("link", name="Kalender-Import").click()
    page.wait_for_url(re.compile(r".*/calendar_imports/$"))
    page.get_by_role("link", name=re.compile("hinzufügen", re.I)).first.click()
    page.locator("input[name=url]").wait_for()


def test_a_bad_address_is_refused_in_german(hub, page, office):
    log_in(hub, page, office)
    open_add_form(hub, page)
    assert admin_findings(page) == []

    type_into(page, "input[name=name]", "Kaputt")
    type_into(page, "input[name=url]", "ftp://partner.example/termine.ics")
    page.get_by_role("button", name="Erstellen", exact=True).click()

    assert "http- oder https-Adresse" in field_error(page, "url")
    assert field_error(page, "city")
    assert admin_findings(page) == []
    assert not ENGLISH.search(main_text(page)), main_text(page)


def fetch_now(hub, page) -> None:
    page.get_by_role("link", name="Jetzt abrufen").first.click()
    page.get_by_role("button", name="Jetzt abrufen").click()
    page.wait_for_url(re.compile(r".*/runs/$"))
    assert "in die Warteschlange gestellt" in page.content()
    work_off_queue(hub)
    page.reload()


def latest_run(page) -> list[str]:
    cells = page.locator("table.listing tbody tr").first.locator("td")
    return [cell.inner_text().strip() for cell in cells.all()]


def edit_title(hub, page, old: str, new: str) -> str:
    """Opens the imported draft from the events listing, renames it, saves the draft;
    the imported start time."""
    page.goto(hub.url + "/admin/events/")
    page.get_by_role("link", name=old, exact=True).first.click()
    page.locator("form#page-edit-form").wait_for()
    start_time = page.locator("[name='occurrences-0-start_time']").input_value()
    # The title's panel lies over its input's edge: the editor tabs into it.
    page.locator("#id_title").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(new)
    page.keyboard.press("Tab")
    page.get_by_role("button", name="Entwurf speichern").click()
    page.wait_for_load_state()
    assert page.locator("#id_title").input_value() == new
    return start_time


def test_the_office_subscribes_fetches_and_resolves_conflicts(
    hub, page, office, partner
):
    log_in(hub, page, office)
    open_add_form(hub, page)
    type_into(page, "input[name=name]", CALENDAR_NAME)
    type_into(page, "input[name=url]", partner.url("termine.ics"))
    page.get_by_role("button", name="Stadt auswählen").click()
    page.locator(".modal-content a", has_text="Witten").first.click()
    page.locator(".modal-content").wait_for(state="hidden")
    page.get_by_label("Familien").first.check()
    # Drafts in review are locked for the office (only reviewers edit them then).
    page.get_by_role("checkbox", name="Zur Freigabe einreichen").uncheck()
    page.get_by_role("button", name="Erstellen", exact=True).click()
    page.get_by_text(f"Kalender „{CALENDAR_NAME}“ angelegt").wait_for()

    page.get_by_role("link", name=CALENDAR_NAME).first.click()
    fetch_now(hub, page)

    # Two new drafts, one VEVENT skipped with a German reason.
    result, new, updated, unchanged, conflicts, skipped, errors = latest_run(page)[1:8]
    assert (result, new, updated, conflicts, skipped) == (
        "Mit Fehlern",
        "2",
        "0",
        "0",
        "1",
    )
    assert "„Sommerfest“: ohne Beginn (DTSTART) übersprungen." in errors
    assert admin_findings(page) == []
    assert not ENGLISH.search(main_text(page)), main_text(page)

    # The imported draft opens in the page editor with the partner's date.
    lesung = ("Lesung in der Stadtbibliothek", "Lesung (mit Anmeldung)")
    assert edit_title(hub, page, *lesung) == "19:00"
    edit_title(hub, page, "Erzählcafé", "Erzählcafé im Haus Witten")

    # The partner moves both events by an hour: both are conflicts now.
    partner.serve("termine.ics", calendar("200000"))
    page.goto(hub.url + "/admin/calendar_imports/")
    page.get_by_role("link", name=CALENDAR_NAME).first.click()
    fetch_now(hub, page)
    assert latest_run(page)[1:6] == ["Mit Fehlern", "0", "0", "0", "2"]

    page.get_by_role("link", name="Konflikte").first.click()
    page.wait_for_url(re.compile(r".*/conflicts/$"))
    assert admin_findings(page) == []
    rows = page.locator("table.listing tbody tr")
    assert rows.count() == 2
    assert not ENGLISH.search(main_text(page)), main_text(page)

    rows.filter(has_text="Lesung (mit Anmeldung)").get_by_role(
        "button", name="Quelle übernehmen"
    ).click()
    page.get_by_text(
        "Der Stand der Quelle wurde als neuer Entwurf übernommen"
    ).wait_for()
    rows.filter(has_text="Erzählcafé im Haus Witten").get_by_role(
        "button", name="Bearbeitung behalten"
    ).click()
    page.get_by_text("Die Bearbeitung bleibt").wait_for()
    assert "Keine offenen Konflikte." in main_text(page)

    # The source's title and time came back; the other edit stayed.
    page.goto(hub.url + "/admin/events/")
    page.get_by_role("link", name="Lesung in der Stadtbibliothek").first.click()
    page.locator("form#page-edit-form").wait_for()
    assert page.locator("[name='occurrences-0-start_time']").input_value() == "20:00"
    page.goto(hub.url + "/admin/events/")
    assert page.get_by_role("link", name="Erzählcafé im Haus Witten").count() >= 1
