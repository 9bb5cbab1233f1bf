"""An editor in Chromium copies a demo event for next year from the events listing and
lands in the draft's editor with every date 52 weeks later."""

import datetime as dt
import json
import re

import pytest

from .conftest import log_in

pytestmark = pytest.mark.browser

FIND = """
import json
from pages.models import EventPage
event = (
    EventPage.objects.filter(live=True, occurrences__isnull=False)
    .order_by("-first_starts_at").first()
)
dates = sorted(o.start_date.isoformat() for o in event.occurrences.all())
print(json.dumps({"pk": event.pk, "title": event.title, "dates": dates}))
"""

STATE = """
import json
from pages.models import EventPage
copy = EventPage.objects.get(pk={pk})
print(json.dumps({{
    "live": copy.live,
    "status": copy.status,
    "parent": copy.get_parent().pk,
    "source_parent": EventPage.objects.get(pk={source}).get_parent().pk,
    "contacts": copy.contacts.count(),
    "source_contacts": EventPage.objects.get(pk={source}).contacts.count(),
}}))
"""


def german(iso: str, weeks: int = 0) -> str:
    date = dt.date.fromisoformat(iso) + dt.timedelta(weeks=weeks)
    return f"{date:%d.%m.%Y}"


def test_editor_copies_a_demo_event_for_next_year(hub, page):
    event = json.loads(hub.manage("shell", "-c", FIND).strip().splitlines()[-1])
    log_in(hub, page)

    # The event's "…" menu in the events listing offers the next edition.
    page.goto(hub.url + "/admin/events/")
    row = page.locator("tr", has=page.locator(f"a[href$='/pages/{event['pk']}/edit/']"))
    row.locator("[data-w-dropdown-target=toggle]").first.click()
    page.get_by_role("link", name="Für nächste Ausgabe kopieren").click()
    page.wait_for_url(
        re.compile(rf".*/veranstaltungen/{event['pk']}/naechste-ausgabe/")
    )

    # The form proposes one year later on the same weekday and previews the dates.
    assert page.locator("input[name=shift][value=year_weekday]").is_checked()
    preview = page.locator(".hub-next-edition__preview").inner_text()
    for iso in event["dates"]:
        assert german(iso) in preview
        assert german(iso, weeks=52) in preview

    page.get_by_role("button", name="Als Entwurf anlegen").click()
    page.wait_for_url(re.compile(r".*/admin/pages/\d+/edit/"))
    assert "als Entwurf angelegt" in page.content()
    copy_pk = int(re.search(r"/pages/(\d+)/edit/", page.url).group(1))
    assert copy_pk != event["pk"]

    # The draft's editor shows the moved dates.
    first_date = page.locator("input[name='occurrences-0-start_date']")
    shown = sorted(
        page.locator("input[name$='-start_date'][name^='occurrences-']").evaluate_all(
            "inputs => inputs.map(input => input.value)"
        ),
        key=lambda text: dt.datetime.strptime(text, "%d.%m.%Y").date(),
    )
    assert first_date.count() == 1
    assert shown == [german(iso, weeks=52) for iso in event["dates"]]

    state = json.loads(
        hub.manage("shell", "-c", STATE.format(pk=copy_pk, source=event["pk"]))
        .strip()
        .splitlines()[-1]
    )
    assert not state["live"] and state["status"] == "scheduled"
    assert state["parent"] == state["source_parent"]
    assert state["contacts"] == state["source_contacts"]
