"""The admin speaks the office's German: ASCII URLs, no gravatar, Presse menu, help texts,
warnings, embed settings for editors, German permission names and a useful dashboard."""

import datetime as dt
import re

from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from wagtail.models import Page, Workflow, WorkflowState

import pytest

from pages.dashboard import PANELS
from pages.enums import STATUS_HELP, EventStatus
from pages.models import (
    EventOccurrence,
    EventPage,
    NewsletterIssuePage,
    PressReleasePage,
)
from pages.slugs import ascii_slug
from pages.snippets import City

from .test_admin import add_url, event_form

pytestmark = pytest.mark.django_db

TITLE = "Sprachcafé Hattingen – Begegnung für Groß und Klein"
ASCII = "sprachcafe-hattingen-begegnung-fuer-gross-und-klein"


@pytest.fixture
def editor(client, django_user_model):
    call_command("ensure_demo_editor", stdout=open("/dev/null", "w"))  # noqa: SIM115
    client.force_login(django_user_model.objects.get(username="redaktion"))
    return client


def new_event(
    demo,
    title: str,
    *,
    slug: str = "",
    days: int = 3,
    city: str = "hattingen",
    **fields,
) -> EventPage:
    start = timezone.localdate() + dt.timedelta(days=days)
    event = EventPage(
        title=title,
        slug=slug,
        city=City.objects.get(slug=city),
        **fields,
    )
    event.occurrences.add(EventOccurrence(start_date=start, start_time=dt.time(15)))
    demo.events.add_child(instance=event)
    event.save_revision().publish()
    return event


def test_german_letters_are_spelled_out_in_slugs():
    assert ascii_slug(TITLE) == ASCII
    assert ascii_slug("Ärger über Öl") == "aerger-ueber-oel"


def test_editor_typing_a_unicode_slug_gets_an_ascii_url_and_feeds_link_it(editor, demo):
    form = event_form(title=TITLE, slug="sprachcafé-hattingen-begegnung-für-groß")
    form["occurrences-0-start_date"] = (
        timezone.localdate() + dt.timedelta(days=10)
    ).isoformat()
    response = editor.post(add_url(EventPage, demo.events), form)
    assert response.status_code == 302, response.context["form"].errors
    event = EventPage.objects.get(title=TITLE)
    assert event.slug == "sprachcafe-hattingen-begegnung-fuer-gross"
    assert event.url.isascii()

    rss = editor.get("/feeds/events.rss").content.decode()
    assert f"/veranstaltungen/{event.slug}/</link>" in rss
    ics = editor.get("/feeds/events.ics").content.decode()
    unfolded = ics.replace("\r\n ", "")
    assert re.search(rf"^URL:\S*/veranstaltungen/{event.slug}/\r?$", unfolded, re.M)
    assert all(link.isascii() for link in re.findall(r"<link>([^<]*)</link>", rss))
    assert all(
        line.isascii() for line in unfolded.splitlines() if line.startswith("URL")
    )


def test_slug_left_empty_is_made_from_the_title(demo):
    event = new_event(demo, TITLE)
    assert event.slug == ASCII


def test_title_in_another_script_gets_the_page_type_as_slug(demo):
    event = new_event(demo, "مقهى اللغة")
    assert event.slug.startswith("veranstaltung")


def test_existing_unicode_slug_is_left_as_it_is(editor, demo):
    event = new_event(demo, "Altes Café", slug="altes-cafe")
    EventPage.objects.filter(pk=event.pk).update(slug="altes-café")
    Page.objects.filter(pk=event.pk).update(slug="altes-café")
    event = EventPage.objects.get(pk=event.pk)
    event.teaser = "Neu formuliert."
    event.save_revision().publish()
    assert EventPage.objects.get(pk=event.pk).slug == "altes-café"


def test_slug_widget_spells_out_german_letters_and_refuses_unicode(editor, demo):
    html = editor.get(add_url(EventPage, demo.events)).content.decode()
    assert "data-w-slug-formatters-value" in html
    assert "&quot;ae&quot;" in html and "&quot;ss&quot;" in html
    assert 'data-w-slug-allow-unicode-value="false"' in html or (
        "data-w-slug-allow-unicode-value " not in html
    )


@pytest.mark.parametrize(
    "url",
    [
        "wagtailadmin_home",
        "wagtailadmin_account",
        "wagtailadmin_pages:edit",
        "wagtailusers_users:index",
    ],
)
def test_no_admin_page_asks_gravatar(admin_client, url):
    args = (EventPage.objects.first().pk,) if url.endswith(":edit") else ()
    response = admin_client.get(reverse(url, args=args))
    assert response.status_code == 200
    assert "gravatar" not in response.content.decode().lower()


def test_presse_and_newsletter_have_menu_entries_with_dates(editor, demo):
    home = editor.get(reverse("wagtailadmin_home")).content.decode()
    assert '"label": "Presse"' in home and '"url": "/admin/press/"' in home
    assert '"label": "Newsletter"' in home

    latest = PressReleasePage.objects.order_by("-date").first()
    press = editor.get("/admin/press/").content.decode()
    assert latest.date.strftime("%d.%m.%Y") in press and latest.title in press
    issue = NewsletterIssuePage(
        title="Newsletter Integration", issue="4/2026", date=dt.date(2026, 11, 3)
    )
    demo.newsletters.add_child(instance=issue)
    newsletters = editor.get("/admin/newsletters/").content.decode()
    assert issue.date.strftime("%d.%m.%Y") in newsletters and issue.issue in newsletters


def test_every_status_and_the_registration_fields_have_help(editor):
    event = EventPage.objects.first()
    html = editor.get(reverse("wagtailadmin_pages:edit", args=(event.pk,))).content
    text = html.decode()
    for status in EventStatus:
        assert f"<strong>{status.label}</strong>" in text
        assert STATUS_HELP[status].split(".")[0].replace("„", "&bdquo;") in text or (
            STATUS_HELP[status].split(".")[0] in text
        )
    assert "Ankreuzen, wenn Teilnehmende sich vorher anmelden" in text
    assert "Letzter Tag, an dem Anmeldungen angenommen werden" in text


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_cancelled_event_asking_for_registration_is_saved_with_a_warning(editor, demo):
    form = event_form(
        status="cancelled",
        registration_required="on",
        registration_email="anmeldung@example.org",
    )
    response = editor.post(add_url(EventPage, demo.events), form, follow=True)
    assert EventPage.objects.get(slug="sprachcafe-witten").status == "cancelled"
    warnings = [m for m in _messages(response) if "abgesagt" in m]
    assert warnings and "Anmeldung" in warnings[0]


def test_cancelled_event_without_registration_gets_no_warning(editor, demo):
    response = editor.post(
        add_url(EventPage, demo.events), event_form(status="cancelled"), follow=True
    )
    assert not [m for m in _messages(response) if "abgesagt" in m]


def test_editors_may_change_the_embed_settings_and_the_builder_links_there(editor):
    settings_url = reverse("wagtailsettings:edit", args=("embeds", "embedsettings"))
    response = editor.get(settings_url, follow=True)
    assert response.status_code == 200
    assert "Erlaubte Partner-Websites" in response.content.decode()
    builder = editor.get(reverse("embed_builder")).content.decode()
    assert "/admin/settings/embeds/embedsettings/" in builder


def test_builder_does_not_link_editors_to_settings_they_cannot_open(
    client, django_user_model
):
    group = Group.objects.create(name="Nur Einbettung")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user = django_user_model.objects.create_user("partnerin", password="x")
    user.groups.add(group)
    client.force_login(user)
    builder = client.get(reverse("embed_builder")).content.decode()
    assert "/admin/settings/embeds/embedsettings/" not in builder
    assert "Einbettung auf Partnerseiten ändern" in builder


def test_permission_names_are_german():
    assert Permission.objects.get(codename="add_city").name == "Stadt hinzufügen"
    assert (
        Permission.objects.get(codename="change_embedsettings").name
        == "Einbettung auf Partnerseiten ändern"
    )
    english = Permission.objects.filter(
        content_type__app_label__in=["pages", "embeds", "webhooks"],
        name__startswith="Can ",
    )
    assert not english.exists(), list(english.values_list("name", flat=True))


def test_wagtail_strings_in_editors_paths_are_formal_german():
    with translation.override("de"):
        assert gettext("Go-live:") == "Veröffentlichung ab:"
        assert gettext("Choose who can view the live version of this page").startswith(
            "Wählen Sie"
        )
        assert gettext("Sort by '%(label)s' in ascending order.") == (
            "Nach „%(label)s“ aufsteigend sortieren."
        )


def test_snippet_chooser_heading_reads_naturally(editor):
    response = editor.get("/admin/snippets/choose/pages/venue/")
    html = response.json()["html"]
    assert "Veranstaltungsort auswählen" in html
    assert "Auswählen <span" not in html


def _dashboard(client) -> str:
    return client.get(reverse("wagtailadmin_home")).content.decode()


def test_dashboard_shows_the_offices_panels(editor, demo, django_user_model):
    soon = new_event(demo, "Interkulturelles Frühstück", days=5)
    stale = new_event(demo, "Vorläufiger Workshop", days=3, status="tentative")
    EventOccurrence.objects.filter(page=stale).update(
        start_date=timezone.localdate() - dt.timedelta(days=40),
        starts_at=timezone.now() - dt.timedelta(days=40),
        ends_at=timezone.now() - dt.timedelta(days=40),
    )
    # A scheduled go-live and an expiry.
    later = new_event(demo, "Später online", days=20)
    later.title = "Später online (neu)"
    later.go_live_at = timezone.now() + dt.timedelta(days=2)
    later.save_revision().publish()
    expiring = PressReleasePage.objects.live().first()
    Page.objects.filter(pk=expiring.pk).update(
        expire_at=timezone.now() + dt.timedelta(days=7)
    )
    # Waiting for review.
    user = django_user_model.objects.get(username="redaktion")
    workflow = Workflow.objects.first()
    review = new_event(demo, "Zur Prüfung eingereicht", days=12)
    workflow.start(review, user)

    html = _dashboard(editor)
    for panel in PANELS:
        assert panel.heading in html
    upcoming = html.split("Veranstaltungen der nächsten vier Wochen")[1]
    assert soon.title in upcoming.split("Warten auf Freigabe")[0]
    assert "Zur Prüfung eingereicht" in html.split("Warten auf Freigabe")[1]
    scheduled = html.split("Geplante Veröffentlichungen und Abläufe")[1]
    assert "Später online (neu)" in scheduled and "geht online" in scheduled
    assert expiring.title in scheduled and "läuft ab" in scheduled
    pending = html.split("Termine vorbei, Status noch offen")[1]
    assert stale.title in pending and "vorläufig geplant" in pending
    assert soon.title not in pending


def test_dashboard_query_count_does_not_grow_with_content(
    editor, demo, django_user_model
):
    user = django_user_model.objects.get(username="redaktion")
    workflow = Workflow.objects.first()

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            event = new_event(demo, f"Termin {i}", days=1 + i % 20)
            workflow.start(event, user)
            new_event(demo, f"Offen {i}", days=1, status="postponed")
        EventPage.objects.filter(title__startswith="Offen").update(
            last_ends_at=timezone.now() - dt.timedelta(days=2)
        )

    add(2, 0)
    _dashboard(editor)
    with CaptureQueriesContext(connection) as few:
        _dashboard(editor)
    add(6, 2)
    with CaptureQueriesContext(connection) as many:
        html = _dashboard(editor)
    assert "Termin 7" in html
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]
    assert WorkflowState.objects.filter(status="in_progress").count() >= 8


# Strings an editor of this office saw in the admin: English names, Wagtail's awkward or
# informal German. None may come back on the pages listed below.
NOT_GERMAN = re.compile(
    r"Moderators|Editors|>\s*Root\s*<|>\s*True\s*<|>\s*False\s*<|>\s*Home\s*<"
    r'|aria-label="Actions"|Delete pages with children|Lock/unlock pages'
    r"|Publish any page|Unlock any page|Can access|Can choose|-Objekt bearbeiten"
    r"|\[my-slug\]|live gehen|Auswählen <span|\b(du|Du|Gib|Wähle|Deine?)\b"
)


def _german_problems(html: str) -> list[str]:
    html = re.sub(r"(?s)<script.*?</script>", "", html)
    return sorted({match.group(0) for match in NOT_GERMAN.finditer(html)})


def test_users_groups_workflows_and_status_panel_speak_german(admin_client, editor):
    call_command("city_editor_group", "witten", stdout=open("/dev/null", "w"))  # noqa: SIM115
    user = Group.objects.get(name="Redaktion").user_set.first()
    group = Group.objects.get(name="Redaktion Witten")
    workflow = Workflow.objects.get()
    task = workflow.tasks.first()
    event = EventPage.objects.first()
    urls = [
        reverse("wagtailusers_users:index"),
        reverse("wagtailusers_users:edit", args=(user.pk,)),
        reverse("wagtailusers_users:add"),
        reverse("wagtailusers_groups:index"),
        reverse("wagtailusers_groups:edit", args=(group.pk,)),
        reverse("wagtailadmin_workflows:index"),
        reverse("wagtailadmin_workflows:edit", args=(workflow.pk,)),
        reverse("wagtailadmin_workflows:task_index"),
        reverse("wagtailadmin_workflows:edit_task", args=(task.pk,)),
        reverse("wagtailadmin_pages:edit", args=(event.pk,)),
    ]
    for url in urls:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert _german_problems(response.content.decode()) == [], url
    # The office editor's own view of the status side panel.
    html = editor.get(reverse("wagtailadmin_pages:edit", args=(event.pk,))).content
    assert _german_problems(html.decode()) == []
    assert "Nicht gesperrt" in html.decode()


def test_stock_groups_root_and_wagtail_permissions_have_german_names():
    names = set(Group.objects.values_list("name", flat=True))
    assert {"Moderation", "Bearbeitung"} <= names
    assert not names & {"Moderators", "Editors"}
    assert Page.objects.get(depth=1).title == "Alle Seiten"
    assert Permission.objects.get(codename="publish_page").name == (
        "Jede Seite veröffentlichen"
    )
    english = Permission.objects.filter(
        content_type__app_label__in=["wagtailcore", "wagtailadmin", "wagtailimages"],
        name__regex=r"^(Can |Publish|Unlock|Lock|Delete)",
    )
    assert not english.exists(), list(english.values_list("name", flat=True))


def test_page_chooser_for_one_page_type_reads_naturally(editor):
    response = editor.get(
        reverse("wagtailadmin_choose_page"), {"page_type": "pages.eventpage"}
    )
    html = response.json()["html"]
    assert re.search(r"Veranstaltung\s+auswählen", html)
    assert "Auswählen <span" not in html


def test_boolean_columns_read_ja_and_nein(admin_client):
    html = admin_client.get(reverse("wagtailusers_users:index")).content.decode()
    assert re.search(r'w-sr-only">\s*Ja\s*<', html)


def _panels(html: str) -> dict[str, str]:
    """Each dashboard panel's HTML by its id."""
    parts = {}
    for panel in PANELS:
        start = html.index(f'id="{panel.name}')
        parts[panel.name] = html[start : html.index("</section>", start)]
    return parts


def _every_panel_lists(demo, django_user_model, city: str, batch: int = 0) -> str:
    """An event of `city` in every panel: coming up, in review, scheduled to go
    live and to expire, past but still „vorläufig geplant“. Returns its title stem."""
    stem = f"Dashboard {city} {batch}"
    new_event(demo, f"{stem} bald", days=5, city=city)
    review = new_event(demo, f"{stem} Prüfung", days=12, city=city)
    Workflow.objects.first().start(
        review, django_user_model.objects.get(username="redaktion")
    )
    later = new_event(demo, f"{stem} später", days=20, city=city)
    later.go_live_at = timezone.now() + dt.timedelta(days=2)
    later.save_revision().publish()
    expiring = new_event(demo, f"{stem} Ablauf", days=9, city=city)
    Page.objects.filter(pk=expiring.pk).update(
        expire_at=timezone.now() + dt.timedelta(days=7)
    )
    stale = new_event(demo, f"{stem} vorbei", days=3, city=city, status="tentative")
    # The database keeps `last_ends_at` from the occurrences.
    EventOccurrence.objects.filter(page=stale).update(
        start_date=timezone.localdate() - dt.timedelta(days=2),
        starts_at=timezone.now() - dt.timedelta(days=2),
        ends_at=timezone.now() - dt.timedelta(days=2),
    )
    return stem


@pytest.fixture
def city_editor(client, django_user_model):
    """The demo Witten editor (group „Redaktion Witten“), signed in."""
    call_command("ensure_demo_editor", stdout=open("/dev/null", "w"))  # noqa: SIM115
    client.force_login(django_user_model.objects.get(username="witten"))
    return client


def test_city_editor_sees_only_their_citys_items_on_the_dashboard(
    city_editor, demo, django_user_model
):
    witten = _every_panel_lists(demo, django_user_model, "witten")
    hattingen = _every_panel_lists(demo, django_user_model, "hattingen")

    panels = _panels(_dashboard(city_editor))
    for name, html in panels.items():
        assert witten in html, name
        assert hattingen not in html, name
    scheduled = panels["hub-scheduled"]
    assert "geht online" in scheduled and "läuft ab" in scheduled
    # A press release is office work: its expiry is not the city editor's business.
    press = PressReleasePage.objects.live().first()
    Page.objects.filter(pk=press.pk).update(
        expire_at=timezone.now() + dt.timedelta(days=1)
    )
    assert press.title not in _panels(_dashboard(city_editor))["hub-scheduled"]


def test_office_editor_sees_every_citys_items_on_the_dashboard(
    editor, demo, django_user_model
):
    witten = _every_panel_lists(demo, django_user_model, "witten")
    hattingen = _every_panel_lists(demo, django_user_model, "hattingen")

    for name, html in _panels(_dashboard(editor)).items():
        assert witten in html and hattingen in html, name


def test_city_editors_dashboard_query_count_does_not_grow_with_content(
    city_editor, demo, django_user_model
):
    _every_panel_lists(demo, django_user_model, "witten")
    _dashboard(city_editor)
    with CaptureQueriesContext(connection) as few:
        _dashboard(city_editor)
    for batch, city in enumerate(("witten", "hattingen", "witten"), start=1):
        _every_panel_lists(demo, django_user_model, city, batch)
    with CaptureQueriesContext(connection) as many:
        _dashboard(city_editor)
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]


def test_the_live_status_link_is_named_by_what_it_shows(editor):
    """Its accessible name begins with its visible text "Veröffentlicht" (WCAG 2.5.3)."""
    event = EventPage.objects.live().first()
    html = editor.get(reverse("wagtailadmin_pages:edit", args=(event.pk,))).content
    labels = re.findall(
        r'class="page-status-tag[^"]*"\s+aria-label="([^"]+)"', html.decode()
    )
    assert labels, "no status link in the editor's header"
    assert all(label.startswith("Veröffentlicht") for label in labels), labels
