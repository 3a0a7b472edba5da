"""Currency names in the site's language, from the bank's own files shipped with the app.

The daily table names currencies in Russian (the ``_eng`` service in English). A page shows
every currency name in one language, the site's: Russian for a Russian site, English
otherwise. English names come from the bank's catalogue (``XML_valFull.asp``, October 2021)
and, for currencies added since, from the bank's English daily table of 18 March 2023; Russian
names from the stored table or the catalogue. A currency none of them names in the page's
language is shown by its code (``AED``) rather than by a name in the other language.
"""

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils import translation

from .parsers import parse_catalogue, parse_daily

DATA = Path(__file__).parent / "data"
CATALOGUE_FILE = DATA / "XML_valFull_2021-10.xml"
ENGLISH_TABLE_FILE = DATA / "XML_daily_eng_2023-03-18_english-names.xml"


@lru_cache(maxsize=1)
def _names() -> tuple[dict[str, str], dict[str, str]]:
    """``({currency ID: English name}, {currency ID: Russian name})``."""
    catalogue = parse_catalogue(CATALOGUE_FILE.read_bytes())
    english = {rate.currency_id: rate.name for rate in parse_daily(ENGLISH_TABLE_FILE.read_bytes()).rates}
    english.update({cid: entry.english_name for cid, entry in catalogue.items()})
    russian = {cid: entry.name for cid, entry in catalogue.items()}
    return english, russian


def english_name(currency_id: str, fallback: str = "") -> str:
    return _names()[0].get(currency_id, fallback)


def is_cyrillic(text: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in text)


def site_language() -> str:
    """The language pages are in: the active one, else ``LANGUAGE_CODE`` (``en`` by default)."""
    return (translation.get_language() or settings.LANGUAGE_CODE or "en").lower()


def currency_name(currency_id: str, stored_name: str, char_code: str, language: str | None = None) -> str:
    """The currency's name in ``language`` (the site's by default), never in the other one."""
    english, russian = _names()
    if (language or site_language()).startswith("ru"):
        if is_cyrillic(stored_name):
            return stored_name
        return russian.get(currency_id) or char_code
    if currency_id in english:
        return english[currency_id]
    return stored_name if stored_name and not is_cyrillic(stored_name) else char_code
