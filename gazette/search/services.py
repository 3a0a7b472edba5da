"""Article search: a reader's query as the index reads it, and highlighted excerpts of the hits.

The index (``index.py``) is the database's own full-text engine: SQLite's FTS5 with BM25, or
PostgreSQL's ``tsvector`` with ``ts_rank``, over the headline, standfirst, body, and byline and
city names of every live article; filters (city, contributor, dates) are part of its query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from wagtail.search.query import And, Or, Phrase, PlainText, SearchQuery

from .index import IndexResults, key_for
from .text import stem

# Words the reader typed: letters and digits of any script (Cyrillic names too).
_WORD = re.compile(r"\w+", re.UNICODE)
# What the index can match: runs of letters and digits (the index splits words on the rest,
# underscores included). Nothing else of a query reaches the search backend.
_INDEX_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# A quoted phrase, or a quote left open (ignored: the words after it still count).
_PHRASE = re.compile(r'"([^"]*)"')
# Spaces, and characters that are syntax to a search engine but never part of a word.
_SYNTAX = re.compile(r'[\s"()*^{}\[\]]+')
EXCERPT_WORDS = 30


@dataclass(frozen=True)
class ParsedQuery:
    """A reader's query reduced to what the index can match.

    ``query`` is the Wagtail search query (``None`` when no word is left), ``terms`` the words
    to highlight.
    """

    query: SearchQuery | None
    terms: list[str]


def parse_query(raw: str, *, whole_tokens: bool = False) -> ParsedQuery:
    """Words and quoted phrases of ``raw`` as a search query the backend accepts whatever ``raw`` holds.

    Every word must match; ``"two words"`` in double quotes must match as a phrase; ``OR`` in
    capitals between words offers alternatives. Everything else a search syntax might give a
    meaning to (other operators, ``*``, ``^``, ``:``, brackets, a quote left open) is read as
    a space, so a stray character never becomes a syntax error and ``"ferry`` finds ferries.

    With ``whole_tokens`` (PostgreSQL) each piece between spaces and brackets holding a letter or a digit
    is passed on as typed: the backend quotes it, and PostgreSQL's text parser splits it the
    way it split the indexed text (it knows e-mail addresses, URLs, numbers and markup). Else
    only runs of letters and digits are passed on, quoted, which is all SQLite's FTS5 indexes.
    """
    groups: list[list[SearchQuery]] = [[]]
    words_seen: list[str] = []

    def pieces(text: str) -> list[str]:
        if whole_tokens:
            return [piece for piece in _SYNTAX.split(text) if _INDEX_WORD.search(piece)]
        return _INDEX_WORD.findall(text)

    def add_words(text: str) -> None:
        for word in pieces(text):
            if word == "OR":
                if groups[-1]:
                    groups.append([])
                continue
            if word in {"AND", "NOT", "NEAR"}:
                continue
            groups[-1].append(PlainText(word))
            words_seen.append(word)

    last = 0
    for match in _PHRASE.finditer(raw):
        add_words(raw[last : match.start()])
        words = pieces(match.group(1))
        if len(words) > 1:
            groups[-1].append(Phrase(" ".join(words)))
            words_seen.extend(words)
        else:
            add_words(match.group(1))
        last = match.end()
    add_words(raw[last:])

    alternatives = [_all_of(group) for group in groups if group]
    if not alternatives:
        return ParsedQuery(None, [])
    query = alternatives[0] if len(alternatives) == 1 else Or(alternatives)
    return ParsedQuery(query, query_terms(" ".join(words_seen)))


def _all_of(parts: list[SearchQuery]) -> SearchQuery:
    """Plain words as one ``PlainText`` (one relevance score for them), phrases beside it."""
    words = [p.query_string for p in parts if isinstance(p, PlainText)]
    phrases = [p for p in parts if isinstance(p, Phrase)]
    combined = ([PlainText(" ".join(words))] if words else []) + phrases
    return combined[0] if len(combined) == 1 else And(combined)


def query_terms(query: str) -> list[str]:
    """The words of a query, lower-cased, longest first (so a longer match wins in highlighting)."""
    terms = {t.lower() for t in _WORD.findall(query or "")}
    return sorted(terms, key=lambda t: (-len(t), t))


def _matches(text: str, terms: list[str]):
    """The words of ``text`` a search for ``terms`` finds: the same stem (``ferry`` for
    ``ferries``, ``Новосибирске`` for ``Новосибирск``) or a longer word starting with a term."""
    if not terms:
        return
    term_stems = {stem(t) for t in terms}
    prefixes = tuple(terms)
    for match in _INDEX_WORD.finditer(text):
        word = match.group(0)
        if stem(word) in term_stems or word.lower().startswith(prefixes):
            yield match


def highlight(text: str, terms: list[str]) -> SafeString:
    """``text`` HTML-escaped, with every word matching a term wrapped in ``<mark>``.

    The text is split on the matches first and each piece escaped on its own, so markup in
    the text (or in the query) can never become HTML.
    """
    out, last = [], 0
    for match in _matches(text, terms):
        out.append(escape(text[last : match.start()]))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped above


def excerpt(text: str, terms: list[str], words: int = EXCERPT_WORDS) -> SafeString:
    """About ``words`` words of ``text`` around its first match, highlighted ('' when none matches)."""
    match = next(_matches(text, terms), None)
    if match is None:
        return mark_safe("")
    before = text[: match.start()].split()
    after = text[match.start() :].split()
    lead = before[-(words // 3) :] if before else []
    tail = after[: words - len(lead)]
    snippet = " ".join(lead + tail)
    prefix = "… " if len(lead) < len(before) else ""
    suffix = " …" if len(tail) < len(after) else ""
    return mark_safe(prefix + highlight(snippet, terms) + suffix)  # noqa: S308 - highlight escapes


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def search_articles(
    query: str,
    city=None,
    date_from: date | None = None,
    date_to: date | None = None,
    order: str = "relevance",
    contributor=None,
    topic=None,
) -> IndexResults:
    """Live, public articles matching ``query`` and the filters: a lazy result set to paginate.

    ``query`` is what the reader typed; only its words and phrases reach the index (see
    :func:`parse_query`). ``city``, ``contributor`` and ``topic`` narrow to their stories, the dates to
    stories first published between the two days (site time zone, inclusive). ``order`` is
    ``"relevance"`` (BM25 on SQLite, ``ts_rank`` on PostgreSQL; ties newest first) or
    ``"newest"``. Without words, the filtered articles come newest first.
    """
    parsed = parse_query(query, whole_tokens=connection.vendor == "postgresql").query
    return IndexResults(
        parsed,
        city_pk=city.pk if city is not None else None,
        contributor_pk=contributor.pk if contributor is not None else None,
        topic_pk=topic.pk if topic is not None else None,
        key_from=key_for(_day_start(date_from)) if date_from else None,
        key_to=key_for(_day_start(date_to + timedelta(days=1))) if date_to else None,
        order=order,
    )
