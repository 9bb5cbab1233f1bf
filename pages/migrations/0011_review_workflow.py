"""Four-eyes review: Wagtail's stock workflow in German, with its own reviewers group.

Wagtail's migration 0048 creates "Moderators approval" for the "Moderators" group on the
root page; nobody here is a moderator, so submissions went to no one. The workflow and
its task get German names and the group "Redaktion (Freigabe)", which may edit and
publish every page (docs/editing.md).
"""

from django.db import migrations

WORKFLOW = "Freigabe durch die Redaktion"
TASK = "Prüfung durch die Redaktion"
REVIEWERS = "Redaktion (Freigabe)"
STOCK_NAME = "Moderators approval"
REVIEWER_PAGE_PERMISSIONS = ("change_page", "publish_page", "lock_page", "unlock_page")


def configure_review(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")
    Page = apps.get_model("wagtailcore.Page")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")

    reviewers, _ = Group.objects.get_or_create(name=REVIEWERS)
    access_admin = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ).first()
    if access_admin:
        reviewers.permissions.add(access_admin)
    root = Page.objects.filter(depth=1).first()
    if root:
        for codename in REVIEWER_PAGE_PERMISSIONS:
            permission = Permission.objects.filter(
                content_type__app_label="wagtailcore", codename=codename
            ).first()
            if permission:
                GroupPagePermission.objects.get_or_create(
                    group=reviewers, page=root, permission=permission
                )

    task = GroupApprovalTask.objects.filter(name__in=[STOCK_NAME, TASK]).first()
    if task is None:
        content_type, _ = ContentType.objects.get_or_create(
            app_label="wagtailcore", model="groupapprovaltask"
        )
        task = GroupApprovalTask.objects.create(
            name=TASK, content_type=content_type, active=True
        )
    task.name = TASK
    task.save(update_fields=["name"])
    task.groups.set([reviewers])

    workflow = Workflow.objects.filter(name__in=[STOCK_NAME, WORKFLOW]).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW, active=True)
    workflow.name = WORKFLOW
    workflow.save(update_fields=["name"])
    if not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
        WorkflowTask.objects.filter(workflow=workflow).delete()
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    if root and not WorkflowPage.objects.filter(page=root).exists():
        WorkflowPage.objects.create(page=root, workflow=workflow)


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0010_city_editor_groups"),
        ("wagtailcore", "0048_add_default_workflows"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(configure_review, migrations.RunPython.noop)]
