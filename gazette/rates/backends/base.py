"""The interface every rate source implements."""

from dataclasses import dataclass
from datetime import date

from gazette.core.messages import TranslatableError


class RateSourceError(TranslatableError):
    """The source could not give an answer (network, HTTP status, missing file).

    Its text is a catalogue message and values (see :mod:`gazette.core.messages`), stored with
    the failed fetch and translated when shown."""


@dataclass(frozen=True)
class FetchedBody:
    """The raw answer and where it came from (a URL or a file path), for the record."""

    content: bytes
    origin: str


class BaseRateSource:
    """A place official tables come from.

    Subclasses implement :meth:`daily` and may implement :meth:`in_force_dates`. They return
    raw bytes and raise :class:`RateSourceError` when they cannot; they never parse or store.
    """

    def __init__(self, params: dict):
        self.params = params

    def daily(self, on: date | None) -> FetchedBody:
        """The daily table the bank serves for ``on`` (``None``: the newest one)."""
        raise NotImplementedError

    def dynamic(self, currency_id: str, start: date, end: date) -> FetchedBody:
        """One currency's history (``XML_dynamic.asp``): lists only days a rate was set."""
        raise NotImplementedError

    def in_force_dates(self, start: date, end: date) -> list[date] | None:
        """The dates in ``[start, end]`` on which a new table came into force, or ``None``
        when the source cannot tell (the backfill then asks for every day)."""
        return None
