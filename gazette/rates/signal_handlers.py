"""What purges the ``rates`` cache tag: every page showing the widget or the rates pages, and
the widget's own cached table (``widget.py``), all at once.

- an editor's change of the widget's currencies (``RatesSettings``);
- a table or one of its rates saved or deleted: a correction made in the shell or a data
  migration. ``services.store_table`` (every fetch and backfill) writes a table's rates in
  bulk, which sends no signal per rate, and purges the tag itself.
"""

from django.db.models.signals import post_delete, post_save

from gazette.core import tags
from gazette.core.invalidation import purge_tags

from .models import Rate, RatesSettings, RateTable


def on_settings_saved(sender, instance, created=False, **kwargs):
    # Wagtail creates the settings row with its defaults on a page's first request; that
    # changes nothing a reader sees, and purging then would empty the caches on every cold start.
    if not created:
        purge_tags({tags.rates()})


def on_rates_changed(sender, instance, **kwargs):
    if not kwargs.get("raw"):
        purge_tags({tags.rates()})


def connect():
    post_save.connect(on_settings_saved, sender=RatesSettings, dispatch_uid="rates_settings_saved")
    for model in (RateTable, Rate):
        post_save.connect(on_rates_changed, sender=model, dispatch_uid=f"rates_{model.__name__}_saved")
        post_delete.connect(on_rates_changed, sender=model, dispatch_uid=f"rates_{model.__name__}_deleted")
