"""An editor's change of the widget's currencies shows on every page at once."""

from django.db.models.signals import post_save

from gazette.core.invalidation import purge_tags

from .models import RatesSettings


def on_settings_saved(sender, instance, **kwargs):
    purge_tags({"rates"})


def connect():
    post_save.connect(on_settings_saved, sender=RatesSettings, dispatch_uid="rates_settings_saved")
