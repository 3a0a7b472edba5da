"""The text an article is found by, and the word stems both the index and the queries use.

Stemming follows PostgreSQL's ``russian`` text search configuration, so a search behaves the
same on both databases: a word of plain ASCII letters is stemmed as English, any other word of
letters (Cyrillic, or Latin with accents) as Russian, a word holding a digit is left as it is.
A page holding both languages is found by either, word by word (``Новосибирск`` finds ``в
Новосибирске``, ``ferries`` finds ``ferry``). SQLite has no stemmer of its own: the SQLite index
stores these stems and queries are stemmed the same way (see ``index.py``).
"""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer
from django.utils.html import strip_tags

from .stopwords import ENGLISH as ENGLISH_STOP_WORDS
from .stopwords import RUSSIAN as RUSSIAN_STOP_WORDS

# Runs of letters and digits: what both engines call a word (underscores split words).
WORD = re.compile(r"[^\W_]+", re.UNICODE)
_ASCII_LETTERS = re.compile(r"[a-z]+")
_DIGIT = re.compile(r"\d")

_english = Stemmer.Stemmer("english")
_russian = Stemmer.Stemmer("russian")


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """The stem of one word (lower-cased; ``ё`` read as ``е``, as Russian spelling allows)."""
    word = word.lower().replace("ё", "е")
    if _DIGIT.search(word):
        return word
    if _ASCII_LETTERS.fullmatch(word):
        return _english.stemWord(word)
    return _russian.stemWord(word)


def is_stop_word(word: str) -> bool:
    """Whether PostgreSQL's ``russian`` configuration leaves ``word`` out (English stop words for
    plain ASCII words, Russian ones for the others, as it reads them)."""
    word = word.lower()
    if _ASCII_LETTERS.fullmatch(word):
        return word in ENGLISH_STOP_WORDS
    return word in RUSSIAN_STOP_WORDS


def query_stems(text: str) -> list[str]:
    """The stems of the words of ``text`` that are not stop words, in order."""
    return [stem(word) for word in WORD.findall(text) if not is_stop_word(word)]


def phrase_stems(text: str) -> list[str]:
    """The stems of a phrase without its leading and trailing stop words (none left: only stop words).

    Stop words inside the phrase are kept: the SQLite index holds them, so ``"city of rivers"``
    finds those words in that order.
    """
    words = WORD.findall(text)
    kept = [i for i, word in enumerate(words) if not is_stop_word(word)]
    return [stem(word) for word in words[kept[0] : kept[-1] + 1]] if kept else []


def stems(text: str) -> list[str]:
    """The stems of the words of ``text``, in order."""
    return [stem(word) for word in WORD.findall(text)]


def stemmed(text: str) -> str:
    """``text`` as its stems separated by spaces: what the SQLite index stores."""
    return " ".join(stems(text))


def body_text(page) -> str:
    """The article body's visible text (paragraphs, subheadings, quotes, captions, transcriptions)."""
    parts: list[str] = []
    for block in page.body.raw_data:
        value = block.get("value")
        if isinstance(value, str):
            parts.append(strip_tags(value))
        elif isinstance(value, dict):
            for key in ("quote", "attribution", "title", "transcription", "caption"):
                if isinstance(value.get(key), str):
                    parts.append(strip_tags(value[key]))
    return " ".join(" ".join(parts).split())
