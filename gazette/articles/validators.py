import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


def has_real_name(value: str | None) -> bool:
    """A real name has at least two letters; '0', '---' or whitespace are placeholders."""
    return bool(value) and len(_LETTER.findall(value)) >= 2


def validate_real_name(value: str) -> None:
    if not has_real_name(value):
        raise ValidationError(
            gettext_lazy("Enter the contributor's real name: '%(value)s' is not a name."),
            params={"value": value},
            code="not_a_name",
        )
