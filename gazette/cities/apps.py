from django.apps import AppConfig


class CitiesConfig(AppConfig):
    name = "gazette.cities"
    label = "cities"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signal_handlers

        signal_handlers.connect()
