"""Renditions made ahead of readers: every rendition a layout can ask for, once a picture is saved.

The pages showing a picture purge themselves when it changes: each app that shows pictures
connects its own purge (articles and contributors: ``gazette.articles.signal_handlers``).
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
