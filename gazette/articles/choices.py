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
