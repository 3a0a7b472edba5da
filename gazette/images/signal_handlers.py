"""Renditions made ahead of readers, whenever a picture is uploaded or changed.

The pages showing a picture are purged by the app that shows it (``gazette.articles.purges``).
"""

from django.db import transaction
from django.db.models.signals import post_save

from .tasks import warm_image_renditions


def on_image_saved(sender, instance, created, **kwargs):
    if kwargs.get("raw"):
        return
    transaction.on_commit(lambda: warm_image_renditions.enqueue(instance.pk))


def connect():
    from .models import GazetteImage

    post_save.connect(on_image_saved, sender=GazetteImage, dispatch_uid="images_saved")
