from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError

from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from pages.models import HomePage
from pages.snippets import City

from .city_editor_group import ensure_city_editor_group

USERNAME = "redaktion"
PASSWORD = "ki-demo-2026"  # noqa: S105 - demo only, refused outside dev/test settings  # nosec B105
GROUP = "Redaktion"
# The Witten editor (edits only Witten's events, submits for review) and the reviewer
# who approves submissions ("Freigabe durch die Redaktion", migration 0011).
CITY_EDITOR = ("witten", "Witten")
REVIEWER = "freigabe"
REVIEWERS = "Redaktion (Freigabe)"
SNIPPET_MODELS = [
    "city",
    "targetgroup",
    "topic",
    "contactperson",
    "venue",
    "statuswording",
]


class Command(BaseCommand):
    help = (
        "Creates the demo accounts (office editor, Witten editor, reviewer) and their "
        "groups (development only)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not getattr(settings, "HUB_DEMO_EDITOR", False):
            raise CommandError("Der Demo-Zugang ist in dieser Umgebung abgeschaltet.")
        self.ensure_user(USERNAME, "Redaktion", self.ensure_group())
        self.stdout.write(
            f"Redaktionszugang: Benutzer „{USERNAME}“, Passwort „{PASSWORD}“"
        )
        username, city_slug = CITY_EDITOR
        city = City.objects.german().filter(slug=city_slug.lower()).first()
        if city:
            self.ensure_user(username, city.name, ensure_city_editor_group(city))
            self.stdout.write(
                f"Redaktion {city.name}: Benutzer „{username}“, Passwort „{PASSWORD}“"
            )
        reviewers = Group.objects.filter(name=REVIEWERS).first()
        if reviewers:
            self.ensure_user(REVIEWER, "Freigabe", reviewers)
            self.stdout.write(
                f"{REVIEWERS}: Benutzer „{REVIEWER}“, Passwort „{PASSWORD}“"
            )

    def ensure_user(self, username: str, last_name: str, group: Group) -> None:
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": "Demo",
                "last_name": last_name,
                "email": f"{username}@example.org",
            },
        )
        if created:
            user.set_password(PASSWORD)
            user.save()
        user.groups.add(group)

    def ensure_group(self) -> Group:
        group, _ = Group.objects.get_or_create(name=GROUP)
        # The partner websites allowed to embed (Einstellungen → Einbettung).
        codenames = ["access_admin", "change_embedsettings", "submit_translation"] + [
            f"{action}_{model}"
            for model in SNIPPET_MODELS
            for action in ("add", "change", "delete", "view")
        ]
        group.permissions.add(*Permission.objects.filter(codename__in=codenames))
        # Every language's home: the office edits the translations too.
        for home in HomePage.objects.all():
            for codename in (
                "add_page",
                "change_page",
                "publish_page",
                "lock_page",
                "unlock_page",
            ):
                GroupPagePermission.objects.get_or_create(
                    group=group,
                    page=home,
                    permission=Permission.objects.get(codename=codename),
                )
        root = Collection.get_first_root_node()
        for codename in (
            "add_document",
            "change_document",
            "choose_document",
            "add_image",
            "change_image",
            "choose_image",
        ):
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=root,
                permission=Permission.objects.get(codename=codename),
            )
        return group
