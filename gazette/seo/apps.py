from django.apps import AppConfig


class SeoConfig(AppConfig):
    name = "gazette.seo"
    label = "seo"
    default_auto_field = "django.db.models.BigAutoField"
