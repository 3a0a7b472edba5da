from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SearchConfig(AppConfig):
    """Site search at /search/ over the articles' full-text index (see ``index.py``)."""

    name = "gazette.search"
    label = "gazette_search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signal_handlers

        signal_handlers.connect()
        post_migrate.connect(signal_handlers.ensure_index, sender=self, dispatch_uid="search_ensure_index")
