from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo newsroom and its ``load_demo`` command; the top layer: no app imports it."""

    name = "gazette.demo"
    label = "demo"
