"""Editors define a series in the admin, cancel a date by deleting it, and get German
messages for rules and cancellations that do not fit."""

import datetime as dt

from django.urls import reverse

from wagtail.test.utils.form_data import inline_formset

import lxml.html
import pytest

from pages.models import EventOccurrence, EventPage
from tests.pages.test_admin import add_url, editor, event_form  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

RULE = {
    "start_date": "07.01.2027",
    "start_time": "19:00",
    "end_time": "21:00",
    "frequency": "weekly",
    "interval": "1",
    "weekday_ordinal": "",
    "until": "28.01.2027",
    "count": "",
}


# The one empty row of the required „Termine“ list, as the browser sends it.
BLANK_ROW = {
    "start_date": "",
    "end_date": "",
    "start_time": "",
    "end_time": "",
    "label": "",
}


def series_form(rule=None, cancellations=(), occurrences=None, **overrides) -> dict:
    return event_form(
        occurrences=occurrences
        or inline_formset(
            [{"start_date": "07.01.2027", "start_time": "19:00", "end_time": "21:00"}]
        ),
        recurrences=inline_formset([{**RULE, **(rule or {})}]),
        cancellations=inline_formset(
            [{"date": day, "note": ""} for day in cancellations]
        ),
        **overrides,
    )


def formset_errors(response) -> dict:
    return {
        name: formset.errors
        for name, formset in response.context["form"].formsets.items()
    }


def rows(page) -> list[tuple]:
    return list(
        EventOccurrence.objects.filter(page=page)
        .order_by("starts_at")
        .values_list("series_date", "start_date", "start_time")
    )


def test_editor_creates_a_series_and_cancels_a_date(today, editor, demo):  # noqa: F811
    response = editor.post(
        add_url(EventPage, demo.events), series_form(cancellations=["21.01.2027"])
    )
    assert response.status_code == 302, response.context["form"].errors
    page = EventPage.objects.get(slug="sprachcafe-witten")
    # The typed first date became the series' first date, not a duplicate.
    assert rows(page) == [
        (dt.date(2027, 1, day), dt.date(2027, 1, day), dt.time(19))
        for day in (7, 14, 28)
    ]


def test_deleting_a_series_date_cancels_it(today, editor, demo):  # noqa: F811
    editor.post(add_url(EventPage, demo.events), series_form())
    page = EventPage.objects.get(slug="sprachcafe-witten")
    occurrences = list(page.occurrences.order_by("start_date"))
    edit = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    form = series_form(
        rule={"id": page.recurrences.get().pk},
        occurrences=inline_formset(
            [
                {
                    "id": o.pk,
                    "start_date": f"{o.start_date:%d.%m.%Y}",
                    "start_time": "19:00",
                    "end_time": "21:00",
                    # The second date is deleted; the third is moved to Friday 18:00.
                    **({"DELETE": "1"} if n == 1 else {}),
                    **(
                        {"start_date": "22.01.2027", "start_time": "18:00"}
                        if n == 2
                        else {}
                    ),
                }
                for n, o in enumerate(occurrences)
            ],
            initial=len(occurrences),
        ),
    )
    form["recurrences-INITIAL_FORMS"] = "1"
    response = editor.post(edit, form)
    assert response.status_code == 302, response.context["form"].errors
    page = EventPage.objects.get(pk=page.pk)
    assert [c.date for c in page.cancellations.all()] == [dt.date(2027, 1, 14)]
    assert rows(page) == [
        (dt.date(2027, 1, 7), dt.date(2027, 1, 7), dt.time(19)),
        (dt.date(2027, 1, 21), dt.date(2027, 1, 22), dt.time(18)),
        (dt.date(2027, 1, 28), dt.date(2027, 1, 28), dt.time(19)),
    ]


def test_cancellation_off_the_rule_is_refused_in_german(today, editor, demo):  # noqa: F811
    response = editor.post(
        add_url(EventPage, demo.events), series_form(cancellations=["22.01.2027"])
    )
    assert response.status_code == 200
    formset = response.context["form"].formsets["cancellations"]
    assert formset.forms[0].errors["date"] == [
        "Der 22.01.2027 ist kein Termin der Serie. Bitte wählen Sie ein Datum, das "
        "die Serie ergibt."
    ]


def test_a_cancellation_beyond_the_horizon_is_accepted(today, editor, demo, settings):  # noqa: F811
    # The Thursday before Christmas 2028 is a date of the open-ended series even though
    # the horizon has not reached it yet.
    settings.HUB_SERIES_HORIZON_DAYS = 30
    response = editor.post(
        add_url(EventPage, demo.events),
        series_form(rule={"until": ""}, cancellations=["21.12.2028"]),
    )
    assert response.status_code == 302, formset_errors(response)
    page = EventPage.objects.get(slug="sprachcafe-witten")
    assert page.recurrence.until is None
    assert [c.date for c in page.cancellations.all()] == [dt.date(2028, 12, 21)]


def test_unsound_rule_is_refused_on_its_field(today, editor, demo):  # noqa: F811
    response = editor.post(
        add_url(EventPage, demo.events),
        series_form(rule={"count": "4"}),
    )
    assert response.status_code == 200
    formset = response.context["form"].formsets["recurrences"]
    assert (
        "entweder ein Enddatum oder eine Anzahl" in formset.forms[0].errors["count"][0]
    )


def edit_form(page, change=None, rule_change=None, **overrides) -> dict:
    """The edit form as the browser sends it back for the page's latest revision."""
    draft = EventPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    occurrences = sorted(draft.occurrences.all(), key=lambda o: o.start_date)
    rows = []
    for n, o in enumerate(occurrences):
        row = {
            "id": o.pk or "",
            "start_date": f"{o.start_date:%d.%m.%Y}",
            "start_time": f"{o.start_time:%H:%M}" if o.start_time else "",
            "end_time": f"{o.end_time:%H:%M}" if o.end_time else "",
            # The hidden field of a series row, as the editor's page renders it.
            "series_date": o.series_date.isoformat() if o.series_date else "",
        }
        if change and n == change[0]:
            row.update(change[1])
        rows.append(row)
    rule = draft.recurrences.all()[0]
    form = series_form(
        rule={"id": rule.pk or "", **(rule_change or {})},
        occurrences=inline_formset(rows, initial=len(rows)),
        **overrides,
    )
    form["recurrences-INITIAL_FORMS"] = "1"
    return form


def draft_rows(page) -> list[tuple]:
    draft = EventPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    return sorted(
        (o.series_date, o.start_date, o.start_time) for o in draft.occurrences.all()
    )


@pytest.mark.parametrize("publish", [False, True])
def test_a_date_first_made_in_a_draft_can_be_moved(today, editor, demo, publish):  # noqa: F811
    # The series grows by two dates in a draft (rows not stored yet); the editor then
    # moves one of them to the Friday. It stays one moved series date.
    editor.post(add_url(EventPage, demo.events), series_form())
    page = EventPage.objects.get(slug="sprachcafe-witten")
    edit = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    longer = {"until": "11.02.2027"}
    form = edit_form(page, rule_change=longer)
    del form["action-publish"]
    assert editor.post(edit, form).status_code == 302
    assert (dt.date(2027, 2, 4), dt.date(2027, 2, 4), dt.time(19)) in draft_rows(page)
    form = edit_form(page, change=(4, {"start_date": "05.02.2027"}), rule_change=longer)
    if not publish:
        del form["action-publish"]
    response = editor.post(edit, form)
    assert response.status_code == 302, response.context["form"].errors
    expected = [
        (dt.date(2027, 1, day), dt.date(2027, 1, day), dt.time(19))
        for day in (7, 14, 21, 28)
    ] + [
        (dt.date(2027, 2, 4), dt.date(2027, 2, 5), dt.time(19)),
        (dt.date(2027, 2, 11), dt.date(2027, 2, 11), dt.time(19)),
    ]
    assert draft_rows(page) == expected
    if publish:
        assert rows(page) == expected


def test_a_date_first_made_in_a_draft_can_be_cancelled_by_deleting_it(
    today,
    editor,  # noqa: F811
    demo,
):
    editor.post(add_url(EventPage, demo.events), series_form())
    page = EventPage.objects.get(slug="sprachcafe-witten")
    edit = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    longer = {"until": "11.02.2027"}
    form = edit_form(page, rule_change=longer)
    del form["action-publish"]
    assert editor.post(edit, form).status_code == 302
    response = editor.post(
        edit, edit_form(page, change=(4, {"DELETE": "1"}), rule_change=longer)
    )
    assert response.status_code == 302, response.context["form"].errors
    page = EventPage.objects.get(pk=page.pk)
    assert [c.date for c in page.cancellations.all()] == [dt.date(2027, 2, 4)]
    assert dt.date(2027, 2, 4) not in [row[1] for row in rows(page)]
    assert len(rows(page)) == 5


def test_a_form_without_the_hidden_series_date_keeps_the_stored_one(
    today,
    editor,  # noqa: F811
    demo,
):
    # A page opened before the field existed posts no `series_date`: stored rows keep
    # theirs instead of turning into extra dates next to regenerated ones.
    editor.post(add_url(EventPage, demo.events), series_form())
    page = EventPage.objects.get(slug="sprachcafe-witten")
    form = edit_form(page)
    for key in [key for key in form if key.endswith("-series_date")]:
        del form[key]
    edit = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    assert editor.post(edit, form).status_code == 302
    assert [row[0] for row in rows(page)] == [
        dt.date(2027, 1, d) for d in (7, 14, 21, 28)
    ]


def test_a_move_in_a_draft_survives_later_saves_and_publishing(today, editor, demo):  # noqa: F811
    form = series_form()
    del form["action-publish"]
    response = editor.post(add_url(EventPage, demo.events), form)
    assert response.status_code == 302, response.context["form"].errors
    page = EventPage.objects.get(slug="sprachcafe-witten")
    edit = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    # Move the third date (21 January) in a draft, save the draft again unchanged,
    # then publish.
    moved = {"start_date": "22.01.2027", "start_time": "18:00"}
    for change, publish in (((2, moved), False), (None, False), (None, True)):
        form = edit_form(page, change=change)
        if not publish:
            del form["action-publish"]
        response = editor.post(edit, form)
        assert response.status_code == 302, response.context["form"].errors
    assert rows(page)[2] == (dt.date(2027, 1, 21), dt.date(2027, 1, 22), dt.time(18))


def test_a_new_series_needs_no_date_typed_under_termine(today, editor, demo):  # noqa: F811
    # The editor fills in only the series; the required „Termine“ list keeps its
    # one empty row, as the browser sends it.
    response = editor.post(
        add_url(EventPage, demo.events),
        series_form(occurrences=inline_formset([BLANK_ROW])),
    )
    assert response.status_code == 302, formset_errors(response)
    page = EventPage.objects.get(slug="sprachcafe-witten")
    assert [row[0].day for row in rows(page)] == [7, 14, 21, 28]


def test_a_new_series_with_another_error_shows_the_form_again(
    today,
    editor,  # noqa: F811
    demo,
):
    # The series alone fills „Termine“; when another field is wrong the editor gets the
    # form back with the message, not a server error (the blank row was not sortable).
    response = editor.post(
        add_url(EventPage, demo.events),
        series_form(occurrences=inline_formset([BLANK_ROW]), city=""),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["city"] == [
        "Dieses Feld muss ausgefüllt werden."
    ]
    assert not EventPage.objects.filter(slug="sprachcafe-witten").exists()


def test_without_a_series_a_date_under_termine_is_still_required(
    today,
    editor,  # noqa: F811
    demo,
):
    response = editor.post(
        add_url(EventPage, demo.events),
        event_form(occurrences=inline_formset([BLANK_ROW])),
    )
    assert response.status_code == 200
    formset = response.context["form"].formsets["occurrences"]
    assert formset.forms[0].errors["start_date"] == [
        "Dieses Feld muss ausgefüllt werden."
    ]


def test_rows_under_termine_say_which_are_series_dates(today, editor, series_event):  # noqa: F811
    """Each row the series made is marked, a moved one as moved; a date entered on its
    own is not; the marker is text in the row, rendered by the server."""
    page = series_event
    rule = page.recurrences.get()
    rule.until = dt.date(2027, 1, 28)
    page.recurrences = [rule]
    page.save_revision().publish()
    page = EventPage.objects.get(pk=page.pk)
    rows_ = list(page.occurrences.all())
    by_day = {row.series_date: row for row in rows_}
    by_day[dt.date(2027, 1, 14)].start_time = dt.time(18)
    by_day[dt.date(2027, 1, 21)].start_date = dt.date(2027, 1, 22)
    extra = EventOccurrence(start_date=dt.date(2027, 1, 30), start_time=dt.time(10))
    page.occurrences = [*rows_, extra]
    page.save_revision().publish()

    edit = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    html = lxml.html.fromstring(editor.get(edit).content)
    markers = {}
    for child in html.cssselect("#id_occurrences-FORMS > [id^='inline_child_']"):
        day = child.cssselect("input[name$='-start_date']")[0].get("value")
        marker = child.cssselect(".series-marker")
        markers[day] = marker[0].text_content().strip() if marker else ""
    assert markers == {
        "07.01.2027": "Serientermin",
        "14.01.2027": "Serientermin, verschoben",
        "22.01.2027": "Serientermin, verschoben vom 21.01.2027",
        "28.01.2027": "Serientermin",
        "30.01.2027": "",
    }


def test_an_overnight_series_is_refused_with_a_way_out(today, editor, demo):  # noqa: F811
    response = editor.post(
        add_url(EventPage, demo.events),
        series_form(
            rule={"start_time": "22:00", "end_time": "02:00"},
            occurrences=inline_formset([]),
        ),
    )
    assert response.status_code == 200
    [errors] = formset_errors(response)["recurrences"]
    assert errors["end_time"] == [
        "Eine Serie kann nicht über Mitternacht gehen; bitte legen Sie das Ende auf "
        "spätestens 23:59 Uhr oder tragen Sie die Termine einzeln mit „bis Datum“ ein."
    ]
    assert not EventPage.objects.filter(slug="sprachcafe-witten").exists()
