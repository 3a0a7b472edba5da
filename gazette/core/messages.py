"""Errors and messages that are stored or kept, and shown later in the language of whoever reads them.

A failed rates fetch is recorded when it happens but read afterwards, by an editor who may use
the admin in another language than the site's; a spelling dictionary that cannot load is found
once per process and reported on every proofing. So an error keeps its catalogue message (an English
msgid marked with ``gettext_noop``) and the values that fill its named placeholders, and is
translated only when shown: ``str(error)`` is in the active language, :meth:`Message.english`
is the plain English text for logs.

Placeholder values may be text (technical things stay as they are: URLs, exception class names,
HTTP statuses, the bank's own field names and values), whole numbers, dates (shown as the
reader's long date) or other messages (translated with the message that holds them). A message
and its values are stored as JSON (:meth:`Message.as_json`, :meth:`Message.from_json`).
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils import translation
from django.utils.translation import gettext

from gazette.core.dates import long_date

__all__ = ["Message", "TranslatableError"]


@dataclass(frozen=True)
class Message:
    """A catalogue message (``text``, the English msgid) and its placeholder values."""

    text: str
    params: dict = field(default_factory=dict)

    def __post_init__(self):
        if type(self.text) is not str:
            # A lazy or already translated text would freeze one language into the record.
            raise TypeError("A Message takes the msgid itself, marked with gettext_noop.")

    def __str__(self) -> str:
        return gettext(self.text) % {name: _shown(value) for name, value in self.params.items()}

    def english(self) -> str:
        with translation.override("en"):
            return str(self)

    def as_json(self) -> dict:
        return {"message": self.text, "params": {name: _encoded(value) for name, value in self.params.items()}}

    @classmethod
    def from_json(cls, data: dict) -> "Message":
        return cls(data["message"], {name: _decoded(value) for name, value in (data.get("params") or {}).items()})


class TranslatableError(Exception):
    """An error whose text is a :class:`Message`: ``Error(gettext_noop("... %(name)s ..."), name=value)``."""

    def __init__(self, text: str, /, **params):
        self.message = Message(text, {name: _plain(value) for name, value in params.items()})
        super().__init__(self.message)

    def __str__(self) -> str:
        return str(self.message)

    def english(self) -> str:
        return self.message.english()


def _plain(value):
    """What a placeholder keeps: a nested error is kept as its message."""
    if isinstance(value, TranslatableError):
        return value.message
    if isinstance(value, Message | date | int):
        return value
    return str(value)


def _shown(value):
    if isinstance(value, Message):
        return str(value)
    if isinstance(value, date):
        return long_date(value)
    return value


def _encoded(value):
    if isinstance(value, Message):
        return value.as_json()
    if isinstance(value, date):
        return {"date": value.isoformat()}
    return value


def _decoded(value):
    if isinstance(value, dict) and "message" in value:
        return Message.from_json(value)
    if isinstance(value, dict) and "date" in value:
        return date.fromisoformat(value["date"])
    return value
