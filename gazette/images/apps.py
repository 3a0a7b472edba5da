from django.apps import AppConfig


class ImagesConfig(AppConfig):
    name = "gazette.images"
    label = "images"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signal_handlers

        signal_handlers.connect()
