from django.db import models
from django.utils.translation import gettext_lazy as _


class Severity(models.TextChoices):
    BLOCKING = "blocking", _("Blocks publishing")
    WARNING = "warning", _("Warning")
