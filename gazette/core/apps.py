from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gazette.core"
    label = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signal_handlers

        signal_handlers.connect()
