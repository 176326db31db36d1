"""Editorial set-up that every install and test database has.

* "Editors" may add and change pages (and lock them), images and documents, and
  propose changes to settlements and regions; they cannot publish.
* "Moderators" may also publish, unpublish, approve or reject, and unlock.
* The "Editorial review" workflow (one group-approval task for Moderators) covers
  the whole site (assigned to the site's root page) and the Region and
  Settlement snippets.

Wagtail's own initial migrations create the two groups and a "Moderators
approval" workflow; this migration completes and renames them, or creates them
if they are missing. Snippet permissions (publish, lock, unlock) are normally
made after migrations (post_migrate), so they are created here first.
"""

from django.db import migrations

WORKFLOW = "Editorial review"
TASK = "Moderator approval"
SNIPPETS = ("region", "settlement")
EDITOR_SNIPPET_ACTIONS = ("add", "change", "view", "lock")
MODERATOR_SNIPPET_ACTIONS = EDITOR_SNIPPET_ACTIONS + ("publish", "unlock", "delete")
EDITOR_PAGE_ACTIONS = ("add", "change", "lock")
MODERATOR_PAGE_ACTIONS = ("add", "change", "lock", "publish", "unlock")


def set_up(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    WorkflowContentType = apps.get_model("wagtailcore.WorkflowContentType")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")

    def permission(app_label, model, action):
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        return Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_{model}",
            defaults={"name": f"Can {action} {model}"},
        )[0]

    editors, _ = Group.objects.get_or_create(name="Editors")
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    admin_access = permission("wagtailadmin", "admin", "access")
    media = [
        permission(app, model, action)
        for app, model in (("wagtailimages", "image"), ("wagtaildocs", "document"))
        for action in ("add", "change", "choose")
    ]
    for group, actions in (
        (editors, EDITOR_SNIPPET_ACTIONS),
        (moderators, MODERATOR_SNIPPET_ACTIONS),
    ):
        group.permissions.add(admin_access, *media)
        group.permissions.add(*(permission("heroes", m, a) for m in SNIPPETS for a in actions))

    root = Page.objects.get(depth=1)
    site = Site.objects.filter(is_default_site=True).first()
    site_root = site.root_page if site else root
    for group, actions in ((editors, EDITOR_PAGE_ACTIONS), (moderators, MODERATOR_PAGE_ACTIONS)):
        for action in actions:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root, permission=permission("wagtailcore", "page", action)
            )

    workflow = (
        Workflow.objects.filter(name__in=[WORKFLOW, "Moderators approval"]).order_by("pk").first()
    )
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW, active=True)
    workflow.name, workflow.active = WORKFLOW, True
    workflow.save()
    if not WorkflowTask.objects.filter(workflow=workflow).exists():
        task_type, _ = ContentType.objects.get_or_create(
            app_label="wagtailcore", model="groupapprovaltask"
        )
        task = GroupApprovalTask.objects.create(name=TASK, active=True, content_type=task_type)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    for link in WorkflowTask.objects.filter(workflow=workflow):
        task = GroupApprovalTask.objects.filter(pk=link.task_id).first()
        if task:
            task.name = TASK
            task.save()
            task.groups.set([moderators])
    WorkflowPage.objects.filter(workflow=workflow).delete()
    WorkflowPage.objects.create(workflow=workflow, page=site_root)
    for model in SNIPPETS:
        content_type, _ = ContentType.objects.get_or_create(app_label="heroes", model=model)
        WorkflowContentType.objects.update_or_create(
            content_type=content_type, defaults={"workflow": workflow}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_create_site_pages"),
        ("heroes", "0002_reviewed_places"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0001_initial"),
        ("wagtaildocs", "0001_initial"),
    ]

    operations = [migrations.RunPython(set_up, migrations.RunPython.noop)]
