"""The newsroom's roles, as groups (made by ``users/migrations/0003_newsroom_roles``):

- **Reporters** write stories and submit them for review; they edit only their own pages and
  cannot publish.
- **Editors** publish (now or scheduled), edit and lock any story, approve the "Editor review"
  workflow's task, and run the proofing checks (they can edit the story).
- **Moderators** moderate reader comments (queue, commenter pages, export and erasure); no stories.
- **Administrators** hold every permission, users and settings included; new permissions are
  granted to them after every ``migrate`` (:func:`grant_administrators_everything`).
"""

from __future__ import annotations

from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS

REPORTERS, EDITORS, MODERATORS, ADMINISTRATORS = "Reporters", "Editors", "Moderators", "Administrators"


def grant_administrators_everything(sender, app_config=None, using=DEFAULT_DB_ALIAS, apps=None, **kwargs):
    """post_migrate: the Administrators group holds every permission, including ones just created."""
    from django.apps import apps as global_apps
    from django.contrib.auth.models import Group, Permission

    apps = apps or global_apps
    # This runs before auth's own handler for the same app: create the app's permissions first.
    create_permissions(app_config or sender, verbosity=0, using=using, apps=apps)
    group = Group.objects.using(using).filter(name=ADMINISTRATORS).first()
    if group is not None:
        group.permissions.add(*Permission.objects.using(using).exclude(group=group))
