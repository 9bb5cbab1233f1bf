"""`EmbedSettings` moved from `pages` to `embeds`: same table, same grants."""

import importlib
from types import SimpleNamespace

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.loader import MigrationLoader

import pytest

from embeds.models import EmbedSettings

pytestmark = pytest.mark.django_db

move = importlib.import_module("embeds.migrations.0001_initial")
SCHEMA_EDITOR = SimpleNamespace(connection=connection)


def test_the_model_moves_in_state_only():
    state = MigrationLoader(connection).project_state()
    assert ("pages", "embedsettings") not in state.models
    moved = state.models["embeds", "embedsettings"]
    assert moved.options["db_table"] == "pages_embedsettings"
    assert EmbedSettings._meta.db_table == "pages_embedsettings"


@pytest.fixture
def before_the_move():
    """The database as the move finds it: the content type still labelled "pages", a
    saved setting, and an editors' group allowed to change it."""
    content_type = ContentType.objects.get_for_model(EmbedSettings)
    ContentType.objects.filter(pk=content_type.pk).update(app_label="pages")
    ContentType.objects.clear_cache()
    EmbedSettings.objects.create(allowed_origins="https://www.witten.de")
    group = Group.objects.create(name="Redaktion vor dem Umzug")
    group.permissions.add(
        Permission.objects.get(
            content_type=content_type, codename="change_embedsettings"
        )
    )
    yield content_type.pk, group
    ContentType.objects.clear_cache()


def test_content_type_and_grants_survive_the_move(before_the_move, django_user_model):
    content_type_pk, group = before_the_move
    move.forwards(apps, SCHEMA_EDITOR)
    content_type = ContentType.objects.get(app_label="embeds", model="embedsettings")
    assert content_type.pk == content_type_pk
    assert not ContentType.objects.filter(app_label="pages", model="embedsettings")
    assert EmbedSettings.load().origins == ["https://www.witten.de"]
    editor = django_user_model.objects.create_user("umzug", password="pw")
    editor.groups.add(group)
    assert editor.has_perm("embeds.change_embedsettings")


def test_a_content_type_made_before_the_move_gives_way(before_the_move):
    content_type_pk, group = before_the_move
    early = ContentType.objects.create(app_label="embeds", model="embedsettings")
    move.forwards(apps, SCHEMA_EDITOR)
    assert ContentType.objects.get(app_label="embeds", model="embedsettings").pk == (
        content_type_pk
    )
    assert not ContentType.objects.filter(pk=early.pk).exists()
    assert group.permissions.filter(codename="change_embedsettings").exists()


def test_the_move_reverses(before_the_move):
    content_type_pk, _ = before_the_move
    move.forwards(apps, SCHEMA_EDITOR)
    move.backwards(apps, SCHEMA_EDITOR)
    assert ContentType.objects.get(pk=content_type_pk).app_label == "pages"


def test_editors_granted_the_setting_can_open_it(client, django_user_model):
    group = Group.objects.create(name="Einbettung")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(
            content_type__app_label="embeds", codename="change_embedsettings"
        ),
    )
    editor = django_user_model.objects.create_user("partnerpflege", password="pw")
    editor.groups.add(group)
    client.force_login(editor)
    url = client.get("/admin/settings/embeds/embedsettings/")["Location"]
    assert client.get(url).status_code == 200
