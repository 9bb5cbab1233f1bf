"""The demo's living calendar: the seed's dates moved by whole weeks into the coming
months (what `make run` shows), or kept as published (`HUB_DEMO_DATES=seed`)."""

import datetime as dt

from django.core.management import CommandError, call_command
from django.test import override_settings

import pytest
import yaml

from pages.demo.loader import (
    CONTENT_FILE,
    DEMO_SERIES_SLUG,
    DemoContentLoader,
    calendar_shift,
    dated_text,
)
from pages.models import EventOccurrence, EventPage

pytestmark = pytest.mark.django_db

SEED = yaml.safe_load(CONTENT_FILE.read_text(encoding="utf-8"))
SEED_TODAY = dt.date.fromisoformat(SEED["demo_calendar"]["seed_today"])
TODAY = dt.date(2026, 12, 1)  # a Tuesday


def quiet(**kwargs) -> DemoContentLoader:
    return DemoContentLoader(log=lambda message: None, translations=False, **kwargs)


def seed_dates() -> dict[str, list[tuple]]:
    return {
        event["slug"]: [
            (
                dt.date.fromisoformat(o["start_date"]),
                dt.date.fromisoformat(o["end_date"]) if o.get("end_date") else None,
                o.get("start_time"),
                o.get("end_time"),
                o.get("label", ""),
            )
            for o in event["occurrences"]
        ]
        for event in SEED["events"]
    }


def stored_dates() -> dict[str, list[tuple]]:
    result: dict[str, list[tuple]] = {}
    for o in (
        EventOccurrence.objects.select_related("page")
        .filter(page__locale__language_code="de")  # translations hold stale copies
        .exclude(page__slug=DEMO_SERIES_SLUG)
        .order_by("page_id", "sort_order", "pk")
    ):
        result.setdefault(o.page.slug, []).append(
            (
                o.start_date,
                o.end_date,
                o.start_time.strftime("%H:%M") if o.start_time else None,
                o.end_time.strftime("%H:%M") if o.end_time else None,
                o.label,
            )
        )
    return result


def moved(dates: dict[str, list[tuple]], shift: dt.timedelta) -> dict:
    return {
        slug: [
            (
                start + shift,
                end + shift if end else None,
                start_time,
                end_time,
                dated_text(label, shift),
            )
            for start, end, start_time, end_time, label in rows
        ]
        for slug, rows in dates.items()
    }


def test_the_seed_today_lands_in_this_week_on_its_own_weekday():
    shift = calendar_shift("upcoming", SEED_TODAY, TODAY)
    assert shift.days % 7 == 0
    assert 0 <= (SEED_TODAY + shift - TODAY).days < 7
    assert (SEED_TODAY + shift).weekday() == SEED_TODAY.weekday()
    # A week later the calendar moves with the clock, never before today.
    later = calendar_shift("upcoming", SEED_TODAY, TODAY + dt.timedelta(days=8))
    assert 0 <= (SEED_TODAY + later - TODAY - dt.timedelta(days=8)).days < 7


def test_seed_mode_keeps_the_published_dates_and_unknown_modes_are_refused():
    assert calendar_shift("seed", SEED_TODAY, TODAY) == dt.timedelta(0)
    with pytest.raises(ValueError, match="HUB_DEMO_DATES='1920'"):
        calendar_shift("1920", SEED_TODAY, TODAY)


def test_tests_run_on_the_seed_dates():
    assert stored_dates() == seed_dates()


def test_upcoming_moves_every_date_by_whole_weeks_keeping_weekday_time_and_status():
    statuses = dict(EventPage.objects.values_list("slug", "status"))
    loader = quiet(dates="upcoming", today=TODAY)
    loader.run()
    assert loader.redated == len(SEED["events"])
    assert stored_dates() == moved(seed_dates(), loader.shift)
    seed = seed_dates()
    for slug, rows in stored_dates().items():
        for (start, *_), (seed_start, *_) in zip(rows, seed[slug], strict=True):
            assert start.weekday() == seed_start.weekday()
            assert start > seed_start
    assert (
        dict(
            EventPage.objects.exclude(slug=DEMO_SERIES_SLUG).values_list(
                "slug", "status"
            )
        )
        == statuses
    )


def test_upcoming_fills_the_coming_months(client):
    loader = quiet(dates="upcoming", today=dt.date.today())
    loader.run()
    upcoming = client.get("/api/v1/events/", {"upcoming": "true", "limit": 50}).json()
    titles = [item["title"] for item in upcoming["results"]]
    # Everything the seed had from mid-May 2020 on is ahead; April 2020 and 2019 are
    # past. Besides: the demo's own weekly series.
    assert len(titles) == 11
    assert "Sprachcafé Witten" in titles
    assert any("Woche der Vielfalt 2020" in title for title in titles)
    assert not any("2019" in title for title in titles)
    first = min(
        dt.date.fromisoformat(item["occurrences"][0]["start_date"])
        for item in upcoming["results"]
    )
    assert dt.date.today() < first <= dt.date.today() + dt.timedelta(weeks=3)


def test_wording_that_names_the_seed_years_is_left_out_of_the_moved_calendar():
    quiet(dates="upcoming", today=TODAY).run()
    summer = EventPage.objects.get(slug="lernfoerderung-sommerferien-2020")
    assert summer.occurrences.get().label == ""  # was „Sommerferien 2020“
    trauma = EventPage.objects.get(slug="schulung-trauma-kita-2020")
    assert (trauma.status, trauma.postponed_note) == ("postponed", "")  # „auf 2021“
    quiet(dates="seed").run()
    summer.refresh_from_db()
    trauma.refresh_from_db()
    assert summer.occurrences.get().label == "Sommerferien 2020"
    assert trauma.postponed_note == "auf 2021"


def test_seed_mode_brings_the_published_dates_back():
    quiet(dates="upcoming", today=TODAY).run()
    loader = quiet(dates="seed")
    loader.run()
    assert loader.redated == len(SEED["events"])
    assert stored_dates() == seed_dates()


def test_a_rerun_in_the_same_week_changes_nothing():
    quiet(dates="upcoming", today=TODAY).run()
    again = quiet(dates="upcoming", today=TODAY + dt.timedelta(days=1))
    again.run()
    assert again.redated == 0


def test_events_an_editor_touched_keep_their_dates(django_user_model):
    editor = django_user_model.objects.create_user("kalender", password="x")
    edited = EventPage.objects.get(
        slug="workshop-akteure-integrationsarbeit-2020-10-07"
    )
    occurrence = edited.occurrences.get()
    occurrence.start_date = dt.date(2027, 3, 3)  # a whole number of weeks later
    edited.occurrences.set([occurrence])
    edited.save_revision(user=editor).publish()

    drafted = EventPage.objects.get(slug="integrationskonferenz-2019")
    drafted.title = "Integrationskonferenz (Entwurf)"
    drafted.save_revision(user=editor)

    loader = quiet(dates="upcoming", today=TODAY)
    loader.run()
    assert loader.redated == len(SEED["events"]) - 2
    dates = stored_dates()
    assert dates["workshop-akteure-integrationsarbeit-2020-10-07"][0][0] == dt.date(
        2027, 3, 3
    )
    assert (
        dates["integrationskonferenz-2019"]
        == seed_dates()["integrationskonferenz-2019"]
    )
    # The draft is still a draft: re-dating never publishes an editor's work.
    drafted.refresh_from_db()
    assert drafted.title != "Integrationskonferenz (Entwurf)"
    assert drafted.has_unpublished_changes


def test_a_missing_event_is_created_on_the_moved_calendar():
    EventPage.objects.get(slug="landtagsbesuch-gefluechtete-2020").delete()
    loader = quiet(dates="upcoming", today=TODAY)
    loader.run()
    assert loader.created["Veranstaltungen"] == 2  # and the demo's own series
    assert (
        stored_dates()["landtagsbesuch-gefluechtete-2020"]
        == moved(seed_dates(), loader.shift)["landtagsbesuch-gefluechtete-2020"]
    )


def test_the_command_says_which_calendar_it_loads(capsys):
    call_command("load_demo_content", "--dates", "upcoming")
    out = capsys.readouterr().out
    assert "in die kommenden Monate verschoben" in out
    assert "Veranstaltungen neu datiert: 14" in out
    call_command("load_demo_content", "--dates", "seed")
    assert "wie auf der Originalseite" in capsys.readouterr().out
    assert stored_dates() == seed_dates()


@override_settings(HUB_DEMO_DATES="gestern")
def test_a_mistyped_setting_is_a_clear_error():
    with pytest.raises(CommandError, match="HUB_DEMO_DATES='gestern' ist unbekannt"):
        call_command("load_demo_content")


def test_the_moved_calendar_has_a_weekly_series_with_a_cancelled_and_a_moved_date(
    client,
):
    quiet(dates="upcoming", today=TODAY).run()
    page = EventPage.objects.get(slug="sprachcafe-witten")
    assert page.live and page.city.slug == "witten"
    detail = client.get(f"/api/v1/events/{page.pk}/").json()
    recurrence = detail["recurrence"]
    assert recurrence["rrule"].startswith("FREQ=WEEKLY")
    first = dt.date(2026, 12, 3)  # the Thursday after TODAY
    assert recurrence["cancelled_dates"] == [str(first + dt.timedelta(weeks=2))]
    starts = [o["start_date"] for o in detail["occurrences"]]
    assert starts[:4] == [
        str(first),
        str(first + dt.timedelta(weeks=1)),
        str(first + dt.timedelta(weeks=3)),
        str(first + dt.timedelta(weeks=4, days=1)),  # moved to the Friday
    ]
    moved = [o for o in detail["occurrences"] if o["moved"]]
    assert [o["series_date"] for o in moved] == [str(first + dt.timedelta(weeks=4))]


def test_the_seed_calendar_has_no_series_of_its_own():
    assert not EventPage.objects.filter(slug=DEMO_SERIES_SLUG).exists()
    quiet(dates="upcoming", today=TODAY).run()
    quiet(dates="seed").run()
    assert not EventPage.objects.get(slug=DEMO_SERIES_SLUG).live
    quiet(dates="upcoming", today=TODAY).run()
    assert EventPage.objects.get(slug=DEMO_SERIES_SLUG).live
