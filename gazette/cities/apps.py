from django.apps import AppConfig


class CitiesConfig(AppConfig):
    name = "gazette.cities"
    label = "cities"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from gazette.core.middleware import register_request_header

        from . import signal_handlers
        from .middleware import EDITION_META, edition_slug

        signal_handlers.connect()
        # A front page cached per edition is found before EditionMiddleware has run.
        register_request_header(EDITION_META, edition_slug)
