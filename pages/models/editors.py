"""City editor groups: a group whose members create and edit only their city's events.

Wagtail asks one permission policy (`CityPagePermissionPolicy`, registered for every
page in `PagesConfig.ready()`) and one tester per page (`CityPagePermissionTester`,
returned by `permissions_for_user` of the event pages and the events index) in every
view, chooser, bulk action, report and action; both narrow what a city editor's
groups grant to the events of their cities (docs/editing.md).
"""

from typing import Any

from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group
from django.db import models
from django.db.models import Q, QuerySet

from wagtail.models import Page, PagePermissionTester
from wagtail.permission_policies.pages import PagePermissionPolicy

_CACHE = "_hub_city_ids"
# What a city editor keeps outside their city's events: adding (an event) below the
# events index, where the group's permissions are granted.
OUTSIDE_OWN_CITY = frozenset({"add"})

AnyUser = AbstractBaseUser | AnonymousUser


class CityEditorGroup(models.Model):
    """Members of `group` edit only events of `city` (and submit them for review)."""

    group = models.OneToOneField(
        Group,
        verbose_name="Gruppe",
        on_delete=models.CASCADE,
        related_name="city_editing",
    )
    city = models.ForeignKey(
        "pages.City",
        verbose_name="Stadt",
        on_delete=models.PROTECT,
        related_name="editor_groups",
        help_text="Mitglieder der Gruppe legen nur Veranstaltungen dieser Stadt an "
        "und bearbeiten nur diese.",
    )

    class Meta:
        verbose_name = "Stadtredaktion"
        verbose_name_plural = "Stadtredaktionen"

    def __str__(self) -> str:
        return f"{self.group} ({self.city})"


def editable_city_ids(user: AnyUser) -> frozenset[int] | None:
    """The cities whose events `user` may edit, or None when no city group limits them."""
    if not user.is_authenticated or getattr(user, "is_superuser", False):
        return None
    cached: frozenset[int] | None | bool = getattr(user, _CACHE, False)
    if cached is not False:
        return cached  # type: ignore[return-value]
    ids = frozenset(
        CityEditorGroup.objects.filter(group__user=user.pk).values_list(
            "city_id", flat=True
        )
    )
    result = ids or None
    setattr(user, _CACHE, result)
    return result


def _event_model() -> type[Page]:
    return apps.get_model("pages", "EventPage")


def is_event_of(page: Page, cities: frozenset[int]) -> bool:
    """Whether `page` (specific or not) is an event in one of `cities`."""
    EventPage = _event_model()
    if isinstance(page, EventPage):
        return bool(page.city_id in cities)
    if page.specific_class is not EventPage:
        return False
    return bool(EventPage.objects.filter(pk=page.pk, city_id__in=cities).exists())


class CityPagePermissionTester(PagePermissionTester):
    """Wagtail's tester, keeping only "add" for a city editor outside their events."""

    def __init__(self, user: Any, page: Page) -> None:
        super().__init__(user, page)
        cities = editable_city_ids(user)
        if cities is not None and not is_event_of(page, cities):
            granted: set[str] = getattr(self, "permissions", set())
            self.permissions = granted & OUTSIDE_OWN_CITY


class CityPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page policy, narrowed for city editors to their city's events."""

    def user_has_any_permission_for_instance(
        self, user: Any, actions: Any, instance: Any
    ) -> bool:
        cities = editable_city_ids(user)
        if cities is not None and not is_event_of(instance, cities):
            actions = set(actions) & OUTSIDE_OWN_CITY
            if not actions:
                return False
        return bool(
            super().user_has_any_permission_for_instance(user, actions, instance)
        )

    def instances_user_has_any_permission_for(
        self, user: Any, actions: Any, *args: Any, **kwargs: Any
    ) -> QuerySet[Page]:
        pages: QuerySet[Page] = super().instances_user_has_any_permission_for(
            user, actions, *args, **kwargs
        )
        cities = editable_city_ids(user)
        if cities is None:
            return pages
        EventPage = _event_model()
        own_events = Q(pk__in=EventPage.objects.filter(city_id__in=cities).values("pk"))
        if OUTSIDE_OWN_CITY & set(actions):
            not_an_event = ~Q(
                pk__in=EventPage.objects.values("pk"),
            )
            return pages.filter(own_events | not_an_event)
        return pages.filter(own_events)
