from django.apps import AppConfig
from django.db.models.signals import post_migrate


class UsersConfig(AppConfig):
    name = "gazette.users"
    label = "users"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signin  # noqa: F401 - connects the lock-out record to django-axes's signal
        from .roles import grant_administrators_everything

        post_migrate.connect(grant_administrators_everything, dispatch_uid="gazette.users.administrators")
