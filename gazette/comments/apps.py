from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "gazette.comments"
    label = "comments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from gazette.articles.feeds import register_comment_counter

        from . import signal_handlers
        from .models import count_published

        signal_handlers.connect()
        register_comment_counter(count_published)
