from typing import Any

from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError, CommandParser

from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from pages.models import CityEditorGroup, EventIndexPage
from pages.snippets import City

# Directories a city editor chooses from, and venues they may add.
SNIPPET_PERMISSIONS = [
    "view_city",
    "view_targetgroup",
    "view_topic",
    "view_contactperson",
    "view_venue",
    "add_venue",
]
COLLECTION_PERMISSIONS = [
    "add_document",
    "choose_document",
    "add_image",
    "choose_image",
]


def ensure_city_editor_group(city: City) -> Group:
    """The group "Redaktion <city>": adds and edits that city's events, never publishes."""
    group, _ = Group.objects.get_or_create(name=f"Redaktion {city.name}")
    CityEditorGroup.objects.update_or_create(group=group, defaults={"city": city})
    group.permissions.add(
        *Permission.objects.filter(
            codename__in=["access_admin", "submit_translation", *SNIPPET_PERMISSIONS]
        )
    )
    for index in EventIndexPage.objects.all():
        for codename in ("add_page", "change_page"):
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=index,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
    root = Collection.get_first_root_node()
    for codename in COLLECTION_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group,
            collection=root,
            permission=Permission.objects.get(codename=codename),
        )
    return group


class Command(BaseCommand):
    help = (
        "Creates (or completes) the editor group of a city: its members add and edit "
        "only that city's events and submit them for review (docs/editing.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("city", help="slug of the city, e.g. witten")

    def handle(self, *args: Any, **options: Any) -> None:
        city = City.objects.german().filter(slug=options["city"]).first()
        if city is None:
            raise CommandError(f"Keine Stadt mit dem Kürzel „{options['city']}“.")
        group = ensure_city_editor_group(city)
        self.stdout.write(
            f"Gruppe „{group.name}“ bearbeitet Veranstaltungen in {city}."
        )
