from django.apps import AppConfig


class RatesConfig(AppConfig):
    name = "gazette.rates"
    label = "rates"
    default_auto_field = "django.db.models.BigAutoField"
