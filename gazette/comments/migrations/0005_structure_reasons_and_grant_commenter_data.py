"""Reasons stored as English phrases become ``{"code": ...}`` records; Moderators may export and
erase a commenter's data."""

import re

from django.db import migrations

# The phrases services.assess used to store, and the record each one becomes.
PATTERNS = [
    (re.compile(r"^all comments are pre-moderated$"), lambda m: {"code": "hold_all"}),
    (re.compile(r"^this article's comments are pre-moderated$"), lambda m: {"code": "article_hold_all"}),
    (re.compile(r"^article older than (\d+) days$"), lambda m: {"code": "old_article", "days": int(m[1])}),
    (re.compile(r"^first comment from this person$"), lambda m: {"code": "first_time"}),
    (
        re.compile(r"^only (\d+) approved comments? from this person$"),
        lambda m: {"code": "few_approved", "approved": int(m[1])},
    ),
    (re.compile(r"^(\d+) links?$"), lambda m: {"code": "links", "count": int(m[1])}),
    (re.compile(r"^looks like promotion$"), lambda m: {"code": "promotion", "signals": []}),
    (
        re.compile(r"^offensive language: ([\d.]+)$"),
        lambda m: {"code": "offensive", "score": float(m[1]), "words": []},
    ),
    (re.compile(r"^looks like spam: ([\d.]+)$"), lambda m: {"code": "spam", "score": float(m[1]), "words": []}),
]


def structured(reason):
    if isinstance(reason, dict):
        return reason
    for pattern, build in PATTERNS:
        match = pattern.match(str(reason))
        if match:
            return build(match)
    return {"code": "other", "text": str(reason)}


def structure_reasons(apps, schema_editor):
    ReaderComment = apps.get_model("comments", "ReaderComment")
    for comment in ReaderComment.objects.exclude(reasons=[]).only("pk", "reasons").iterator():
        reasons = [structured(r) for r in comment.reasons or []]
        codes = " ".join(r["code"] for r in reasons)
        ReaderComment.objects.filter(pk=comment.pk).update(
            reasons=reasons, reason_codes=f" {codes} " if codes else ""
        )


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    # Permissions are normally created after migrate; create ours now so the group can hold them.
    content_type, _ = ContentType.objects.get_or_create(app_label="comments", model="readercomment")
    names = {
        "export_commenter_data": "Can export a commenter's data",
        "erase_commenter_data": "Can erase a commenter's data",
    }
    perms = [
        Permission.objects.get_or_create(content_type=content_type, codename=code, defaults={"name": name})[0]
        for code, name in names.items()
    ]
    group, _ = Group.objects.get_or_create(name="Moderators")
    group.permissions.add(*perms)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Moderators").first()
    if group:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="comments", codename__in=("export_commenter_data", "erase_commenter_data")
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0004_add_reason_codes_and_commenter_data_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(structure_reasons, migrations.RunPython.noop),
        migrations.RunPython(grant, revoke),
    ]
