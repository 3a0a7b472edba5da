from django.db import models


class ContributorRole(models.TextChoices):
    REPORTER = "reporter", "Reporter"
    CORRESPONDENT = "correspondent", "Correspondent"
    EDITOR = "editor", "Editor"
    PHOTOGRAPHER = "photographer", "Photographer"
    TRANSLATOR = "translator", "Translator"
    COLUMNIST = "columnist", "Columnist"
    CONTRIBUTOR = "contributor", "Contributor"
