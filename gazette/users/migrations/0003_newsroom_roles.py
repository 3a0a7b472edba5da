"""The newsroom's roles (gazette/users/roles.py): Reporters, Editors, Moderators, Administrators,
and the "Editor review" workflow at the site root, so a reporter's submission waits for an editor."""

from django.db import migrations

PAGE_PERMISSIONS = {
    "Reporters": ["add"],
    "Editors": ["add", "change", "publish", "lock", "unlock"],
    "Administrators": ["add", "change", "publish", "lock", "unlock", "bulk_delete"],
}
COLLECTION_PERMISSIONS = {
    "Reporters": {"wagtailimages": ["add", "choose"], "wagtaildocs": ["add", "choose"]},
    "Editors": {"wagtailimages": ["add", "change", "choose"], "wagtaildocs": ["add", "change", "choose"]},
    "Administrators": {
        "wagtailimages": ["add", "change", "delete", "choose"],
        "wagtaildocs": ["add", "change", "delete", "choose"],
    },
}
MODEL = {"wagtailimages": "image", "wagtaildocs": "document", "wagtailcore": "page"}
# Model permissions beyond pages: those who write list and add contributors (the bylines' people);
# editors also keep the city list and the proofing's desk words.
MODEL_PERMISSIONS = {
    "Reporters": ["articles.view_contributor", "articles.add_contributor"],
    "Editors": [
        "articles.view_contributor",
        "articles.add_contributor",
        "articles.change_contributor",
        "cities.view_city",
        "cities.add_city",
        "cities.change_city",
        "editorial.view_deskword",
        "editorial.add_deskword",
        "editorial.change_deskword",
    ],
}
WORKFLOW = "Editor review"


def permission(apps, app_label, codename, model=None, name=None):
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    model = model or codename.rsplit("_", 1)[1]
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    action = codename.rsplit("_", 1)[0].replace("_", " ")
    return Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name or f"Can {action} {model}"}
    )[0]


def add_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    groups = {name: Group.objects.get_or_create(name=name)[0] for name in ("Reporters", "Editors", "Moderators", "Administrators")}
    access_admin = permission(apps, "wagtailadmin", "access_admin")
    for group in groups.values():
        group.permissions.add(access_admin)
    groups["Administrators"].permissions.add(permission(apps, "users", "unlock_signin", model="signinlockout", name="Can lift sign-in lock-outs"))
    for name, names in MODEL_PERMISSIONS.items():
        groups[name].permissions.add(*(permission(apps, *dotted.split(".")) for dotted in names))

    # Moderators (Wagtail made them page moderators) keep only their comment permissions.
    GroupPagePermission.objects.filter(group=groups["Moderators"]).delete()
    GroupCollectionPermission.objects.filter(group=groups["Moderators"]).delete()
    groups["Moderators"].permissions.remove(
        *groups["Moderators"].permissions.filter(content_type__app_label__in=("wagtailimages", "wagtaildocs"))
    )
    # Wagtail's Editors could edit any page; a reporter's rights are the "add" ones.
    GroupPagePermission.objects.filter(group=groups["Editors"]).delete()
    GroupCollectionPermission.objects.filter(group=groups["Editors"]).delete()

    root = Page.objects.filter(depth=1).first()
    collection = Collection.objects.filter(depth=1).first()
    for name, kinds in PAGE_PERMISSIONS.items():
        for kind in kinds if root else ():
            GroupPagePermission.objects.get_or_create(
                group=groups[name], page=root, permission=permission(apps, "wagtailcore", f"{kind}_page")
            )
    for name, by_app in COLLECTION_PERMISSIONS.items():
        for app_label, kinds in by_app.items() if collection else ():
            for kind in kinds:
                GroupCollectionPermission.objects.get_or_create(
                    group=groups[name],
                    collection=collection,
                    permission=permission(apps, app_label, f"{kind}_{MODEL[app_label]}"),
                )
    if root:
        add_workflow(apps, root, groups["Editors"])


def add_workflow(apps, root, editors):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    WorkflowState = apps.get_model("wagtailcore", "WorkflowState")

    content_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
    task = GroupApprovalTask.objects.filter(name=WORKFLOW).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=WORKFLOW, content_type=content_type, active=True)
    task.groups.set([editors])
    workflow, created = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    if created:
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    previous = WorkflowPage.objects.filter(page=root).exclude(workflow=workflow).first()
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
    if previous and not WorkflowState.objects.filter(workflow=previous.workflow, status="in_progress").exists():
        # Wagtail's "Moderators approval" no longer covers anything; Moderators review comments only.
        Workflow.objects.filter(pk=previous.workflow_id).update(active=False)


def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Group.objects.filter(name__in=("Reporters", "Administrators")).delete()
    Workflow.objects.filter(name=WORKFLOW).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("users", "0002_add_signin_lockouts"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("comments", "0005_structure_reasons_and_grant_commenter_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(add_roles, remove_roles)]
