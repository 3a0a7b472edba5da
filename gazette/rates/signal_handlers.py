"""An editor's change of the widget's currencies shows on every page at once."""

from django.db.models.signals import post_save

from gazette.core.invalidation import purge_tags

from .models import RatesSettings


def on_settings_saved(sender, instance, created=False, **kwargs):
    # Wagtail creates the settings row with its defaults on a page's first request; that
    # changes nothing a reader sees, and purging then would empty the caches on every cold start.
    if not created:
        purge_tags({"rates"})


def connect():
    post_save.connect(on_settings_saved, sender=RatesSettings, dispatch_uid="rates_settings_saved")
