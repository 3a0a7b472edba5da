"""Russian morphology for place names: which city a word names in any grammatical case.

Russian inflects place names (``Новосибирск``, ``в Новосибирске``, ``из Новосибирска``,
``под Новосибирском``), so a Russian name is matched by its lemma, not by its letters. The
analyser is pymorphy3 with the OpenCorpora dictionary (``pymorphy3-dicts-ru``), both from PyPI:
nothing outside the virtualenv is needed. It is loaded once per process on first use (about
0.2 s) and is safe to share between threads.
"""

import functools
import re

CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
LATIN_RE = re.compile(r"[A-Za-z\u00c0-\u024f]")
CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")


@functools.cache
def analyzer():
    """The process-wide pymorphy3 analyser for Russian."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


def is_cyrillic(word: str) -> bool:
    """Written in Cyrillic only (a Russian word, not a mixed-script slip)."""
    return bool(CYRILLIC_RE.search(word)) and not LATIN_RE.search(word)


def is_latin(word: str) -> bool:
    """Written in Latin letters only."""
    return bool(LATIN_RE.search(word)) and not CYRILLIC_RE.search(word)


def normalise(word: str) -> str:
    """Lower case with ``ё`` read as ``е``: Russian texts write either."""
    return word.lower().replace("ё", "е")


@functools.lru_cache(maxsize=50_000)
def parses(word: str) -> tuple:
    """pymorphy3's readings of ``word``, most likely first (known or predicted)."""
    return tuple(analyzer().parse(word))


def lemmas(word: str) -> set[str]:
    """Every normal form ``word`` may be an inflection of, normalised (see :func:`normalise`)."""
    hyphen_parts = word.split("-")
    out = {normalise(p.normal_form) for p in parses(word)}
    if len(hyphen_parts) > 1:
        # Ханты-Мансийске: only the last part inflects.
        head = "-".join(hyphen_parts[:-1])
        out |= {normalise(f"{head}-{p.normal_form}") for p in parses(hyphen_parts[-1])}
    out.add(normalise(word))
    return out


def cases_of(word: str) -> set[str]:
    """The grammatical cases ``word`` may be in (``Новосибрске``: locative)."""
    return {p.tag.case for p in parses(word.split("-")[-1]) if p.tag.case in CASES}


def forms(name: str) -> dict[str, str]:
    """The singular forms of the place name ``name``: form -> case, written like ``name``.

    ``Новосибирск`` -> ``{"Новосибирск": "nomn", "Новосибирска": "gent", ...}``. Only the
    last part of a hyphenated name inflects (``Ханты-Мансийска``). A name the dictionary does
    not know as a place is inflected as pymorphy3 predicts it.
    """
    parts = name.split("-")
    head, last = parts[:-1], parts[-1]
    readings = parses(last)
    reading = next((p for p in readings if "Geox" in p.tag), readings[0] if readings else None)
    out: dict[str, str] = {name: "nomn"}
    if reading is None:
        return out
    for form in reading.lexeme:
        if form.tag.number == "plur" or form.tag.case not in CASES:
            continue
        word = form.word
        if last[:1].isupper():
            word = word[:1].upper() + word[1:]
        out.setdefault("-".join([*head, word]), form.tag.case)
    return out
