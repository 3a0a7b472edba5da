"""One alt text per picture: Wagtail's own ``description`` field.

Gazette's ``alt_text`` is copied into ``description`` wherever ``description`` is empty (a
description an editor already wrote is kept), then ``alt_text`` is removed. Going back copies
``description`` into the restored ``alt_text``, so nothing written is lost either way.
"""

from django.db import migrations, models
from django.db.models import F, Q


def copy_alt_text_into_description(apps, schema_editor):
    GazetteImage = apps.get_model("images", "GazetteImage")
    GazetteImage.objects.filter(Q(description="") | Q(description__isnull=True)).exclude(alt_text="").update(
        description=F("alt_text")
    )


def copy_description_into_alt_text(apps, schema_editor):
    GazetteImage = apps.get_model("images", "GazetteImage")
    GazetteImage.objects.update(alt_text=F("description"))


class Migration(migrations.Migration):
    dependencies = [
        ("images", "0002_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="gazetteimage",
            name="description",
            field=models.CharField(
                blank=True,
                default="",
                help_text="Describes the picture for readers who cannot see it.",
                max_length=255,
                verbose_name="alt text",
            ),
        ),
        migrations.RunPython(copy_alt_text_into_description, copy_description_into_alt_text),
        migrations.RemoveField(
            model_name="gazetteimage",
            name="alt_text",
        ),
    ]
