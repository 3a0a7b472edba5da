"""Tables saved as files (the bank's own bytes): offline demos, tests, imports of archives.

``PATH`` is a directory of ``XML_daily`` answers (any file names ending in ``.xml``). Like the
bank, asking for a date returns the newest table in force on that date (a Sunday gets
Saturday's table), and asking for no date returns the newest table of all.
"""

import re
from datetime import date, datetime
from pathlib import Path

from django.utils.translation import gettext_noop

from .base import BaseRateSource, FetchedBody, RateSourceError

_DATE_RE = re.compile(rb"<ValCurs[^>]*\sDate=\"(\d\d\.\d\d\.\d{4})\"")


class FileSource(BaseRateSource):
    def __init__(self, params: dict):
        super().__init__(params)
        if not params.get("PATH"):
            raise RateSourceError(gettext_noop("FileSource needs PATH (a directory of XML_daily files)"))
        self.path = Path(params["PATH"])

    def _index(self) -> dict[date, Path]:
        if not self.path.is_dir():
            raise RateSourceError(gettext_noop("%(path)s is not a directory"), path=self.path)
        index = {}
        for file in sorted(self.path.glob("*.xml")):
            match = _DATE_RE.search(file.read_bytes()[:400])
            if match:
                index[datetime.strptime(match.group(1).decode(), "%d.%m.%Y").date()] = file
        return index

    def daily(self, on: date | None) -> FetchedBody:
        index = self._index()
        candidates = [d for d in index if on is None or d <= on]
        if not candidates:
            if on is None:
                raise RateSourceError(gettext_noop("There is no table in %(path)s"), path=self.path)
            raise RateSourceError(gettext_noop("No table in %(path)s is in force on %(date)s"), path=self.path, date=on)
        file = index[max(candidates)]
        return FetchedBody(content=file.read_bytes(), origin=str(file))

    def in_force_dates(self, start: date, end: date) -> list[date] | None:
        return sorted(d for d in self._index() if start <= d <= end)
