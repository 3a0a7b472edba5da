"""A change of the site's comment rules (page size, closing after N days) shows on every article."""

from django.db.models.signals import post_save

from gazette.core import tags
from gazette.core.invalidation import purge_tags

from .models import CommentSettings


def on_settings_saved(sender, instance, created=False, **kwargs):
    # The row Wagtail creates with its defaults on a first request changes nothing a reader sees.
    if not created:
        purge_tags({tags.comment_settings()})  # every comments section carries it


def connect():
    post_save.connect(on_settings_saved, sender=CommentSettings, dispatch_uid="comment_settings_saved")
