"""The Moderators group: Wagtail admin access and the right to moderate reader comments."""

from django.db import migrations


def add_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    # Permissions are normally created after migrate; create ours now so the group can hold it.
    content_type, _ = ContentType.objects.get_or_create(app_label="comments", model="readercomment")
    Permission.objects.get_or_create(
        content_type=content_type, codename="moderate_readercomment", defaults={"name": "Can moderate reader comments"}
    )
    group, _ = Group.objects.get_or_create(name="Moderators")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label__in=("comments", "wagtailadmin"),
            codename__in=("moderate_readercomment", "access_admin"),
        )
    )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Moderators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0002_moderation_scoring_and_settings"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(add_group, remove_group)]
