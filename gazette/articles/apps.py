from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "gazette.articles"
    label = "articles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import purges, signal_handlers

        signal_handlers.connect()
        purges.connect()
