"""The Bank of Russia's XML service over HTTP (``https://www.cbr.ru/scripts/``).

The service sometimes answers with a 403 or an anti-DDoS HTML page, and sometimes is slow:
every request has a timeout, follows redirects, sends a browser-like User-Agent (the bank's
filter turns away obvious robots) and is retried with exponential backoff before giving up.

Parameters (``GAZETTE_RATE_SOURCES`` entry): ``BASE_URL``, ``TIMEOUT`` (seconds, 10),
``RETRIES`` (extra attempts, 3), ``BACKOFF`` (first pause in seconds, doubled each retry, 2),
``USER_AGENT``, ``CHECK_CURRENCY`` (ID whose history lists the in-force dates, USD R01235).
"""

import logging
import time
from datetime import date

import httpx
from django.utils.translation import gettext_noop

from gazette.core.messages import Message

from ..parsers import RateDataError, parse_dynamic
from .base import BaseRateSource, FetchedBody, RateSourceError

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://www.cbr.ru/scripts/"
DEFAULT_USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Gazette/1.0"
)
RETRY_STATUSES = {403, 408, 425, 429, 500, 502, 503, 504}


def _looks_like_html(content: bytes) -> bool:
    head = content.lstrip()[:512].lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head


def _english(problem: str | Message) -> str:
    return problem.english() if isinstance(problem, Message) else problem


class CBRSource(BaseRateSource):
    def __init__(self, params: dict):
        super().__init__(params)
        self.base_url = params.get("BASE_URL", DEFAULT_BASE_URL).rstrip("/") + "/"
        self.timeout = float(params.get("TIMEOUT", 10))
        self.retries = int(params.get("RETRIES", 3))
        self.backoff = float(params.get("BACKOFF", 2))
        self.user_agent = params.get("USER_AGENT", DEFAULT_USER_AGENT)
        self.check_currency = params.get("CHECK_CURRENCY", "R01235")
        self.sleep = time.sleep

    def _get(self, script: str, query: dict[str, str]) -> FetchedBody:
        url = self.base_url + script
        headers = {"User-Agent": self.user_agent, "Accept": "application/xml, text/xml;q=0.9, */*;q=0.5"}
        last_problem: str | Message = ""
        with httpx.Client(timeout=self.timeout, follow_redirects=True, headers=headers) as client:
            for attempt in range(self.retries + 1):
                if attempt:
                    pause = self.backoff * 2 ** (attempt - 1)
                    logger.info("Retrying %s in %.1f s after: %s", url, pause, _english(last_problem))
                    self.sleep(pause)
                try:
                    response = client.get(url, params=query)
                except httpx.HTTPError as err:
                    last_problem = f"{err.__class__.__name__}: {err}"
                    continue
                if response.status_code in RETRY_STATUSES:
                    last_problem = f"HTTP {response.status_code}"
                    continue
                if response.status_code != 200:
                    raise RateSourceError(
                        gettext_noop("%(url)s answered HTTP %(status)s"), url=response.url, status=response.status_code
                    )
                if _looks_like_html(response.content):
                    last_problem = Message(gettext_noop("an HTML page (anti-DDoS check?) instead of XML"))
                    continue
                return FetchedBody(content=response.content, origin=str(response.url))
        raise RateSourceError(
            gettext_noop("%(url)s failed, attempts made: %(count)d; last: %(problem)s"),
            url=url,
            count=self.retries + 1,
            problem=last_problem,
        )

    def daily(self, on: date | None) -> FetchedBody:
        return self._get("XML_daily.asp", {"date_req": on.strftime("%d/%m/%Y")} if on else {})

    def dynamic(self, currency_id: str, start: date, end: date) -> FetchedBody:
        query = {"date_req1": start.strftime("%d/%m/%Y"), "date_req2": end.strftime("%d/%m/%Y")}
        query["VAL_NM_RQ"] = currency_id
        return self._get("XML_dynamic.asp", query)

    def in_force_dates(self, start: date, end: date) -> list[date] | None:
        """One request for the whole range: the days the bank set the reference currency's rate."""
        body = self.dynamic(self.check_currency, start, end)
        try:
            return [r.in_force_date for r in parse_dynamic(body.content)]
        except RateDataError as err:
            raise RateSourceError(
                gettext_noop("The list of table dates could not be read: %(error)s"), error=err
            ) from err
