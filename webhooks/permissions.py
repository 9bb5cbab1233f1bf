"""Who may manage webhooks: superusers and holders of „Webhooks verwalten“."""

from typing import Any

from django.db.models import QuerySet

from wagtail.permission_policies.base import BaseDjangoAuthPermissionPolicy

PERMISSION = "webhooks.manage_webhooks"


class ManageWebhooksPolicy(BaseDjangoAuthPermissionPolicy):
    """One permission for every action: an endpoint's URL and secret are one thing to
    trust someone with, viewing the log included."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        return bool(user.is_active and user.has_perm(PERMISSION))

    def users_with_any_permission(self, actions: Any) -> QuerySet[Any]:
        return self._get_users_with_any_permission_codenames(  # type: ignore[no-any-return]
            [PERMISSION.split(".", 1)[1]]
        )
