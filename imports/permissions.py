"""Who may manage calendar imports: superusers and holders of „Kalender-Importe verwalten“
(the office group „Redaktion“ gets it in migration 0002)."""

from typing import Any

from django.db.models import QuerySet

from wagtail.permission_policies.base import BaseDjangoAuthPermissionPolicy

PERMISSION = "imports.manage_calendar_imports"


class ManageImportsPolicy(BaseDjangoAuthPermissionPolicy):
    """One permission for every action: a subscription decides which events the hub
    creates, so viewing, editing, fetching and resolving conflicts go together."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        return bool(user.is_active and user.has_perm(PERMISSION))

    def users_with_any_permission(self, actions: Any) -> QuerySet[Any]:
        return self._get_users_with_any_permission_codenames(  # type: ignore[no-any-return]
            [PERMISSION.split(".", 1)[1]]
        )
