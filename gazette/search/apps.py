from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "gazette.search"
    label = "gazette_search"
    default_auto_field = "django.db.models.BigAutoField"
