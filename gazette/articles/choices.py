from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ContributorRole(models.TextChoices):
    REPORTER = "reporter", _("Reporter")
    CORRESPONDENT = "correspondent", _("Correspondent")
    EDITOR = "editor", _("Editor")
    PHOTOGRAPHER = "photographer", _("Photographer")
    TRANSLATOR = "translator", _("Translator")
    COLUMNIST = "columnist", _("Columnist")
    CONTRIBUTOR = "contributor", _("Contributor")


class ArticleLanguage(models.TextChoices):
    """The languages an article or a quotation may be in, each named in itself."""

    ENGLISH = "en", "English"
    RUSSIAN = "ru", "Русский"


def site_language() -> str:
    """The site's language (``GAZETTE_LANGUAGE``) as an article language: a new article's default."""
    return ArticleLanguage.RUSSIAN.value if settings.LANGUAGE_CODE.startswith("ru") else ArticleLanguage.ENGLISH.value
