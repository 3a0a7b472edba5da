from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "gazette.editorial"
    label = "editorial"
    default_auto_field = "django.db.models.BigAutoField"
