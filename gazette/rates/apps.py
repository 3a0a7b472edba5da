from django.apps import AppConfig


class RatesConfig(AppConfig):
    name = "gazette.rates"
    label = "rates"
    verbose_name = "Exchange rates"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signal_handlers

        signal_handlers.connect()
