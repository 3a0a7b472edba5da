from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Site search at /search/ over Wagtail's search index (see ``services.py``)."""

    name = "gazette.search"
    label = "gazette_search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signal_handlers

        signal_handlers.connect()
