from django.apps import AppConfig


class SeoConfig(AppConfig):
    """Sitemaps, robots.txt, and the meta tags, Open Graph and JSON-LD in every page's <head>."""

    name = "gazette.seo"
    label = "seo"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signal_handlers

        signal_handlers.connect()
