"""English currency names from the bank's own catalogue (``XML_valFull.asp``), shipped with the app.

The daily table names currencies in Russian; the site is in English, so pages show the
catalogue's English name and keep the bank's Russian name beside it. A currency newer than the
shipped catalogue falls back to the name in the table.
"""

from functools import lru_cache
from pathlib import Path

from .parsers import parse_catalogue

CATALOGUE_FILE = Path(__file__).parent / "data" / "XML_valFull_2021-10.xml"


@lru_cache(maxsize=1)
def _english_names() -> dict[str, str]:
    return {cid: entry.english_name for cid, entry in parse_catalogue(CATALOGUE_FILE.read_bytes()).items()}


def english_name(currency_id: str, fallback: str = "") -> str:
    return _english_names().get(currency_id, fallback)


def is_cyrillic(text: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in text)
