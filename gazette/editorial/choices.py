from django.db import models


class Severity(models.TextChoices):
    BLOCKING = "blocking", "Blocks publishing"
    WARNING = "warning", "Warning"
