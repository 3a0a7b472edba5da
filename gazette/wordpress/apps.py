from django.apps import AppConfig


class WordpressConfig(AppConfig):
    name = "gazette.wordpress"
    label = "wordpress"
    default_auto_field = "django.db.models.BigAutoField"
