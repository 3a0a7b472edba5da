"""Precision and recall of city suggestions on Russian (and some English) news sentences.

Reads ``tests/fixtures/russian/city_sentences.json``: sentences written for this purpose that
name Siberian cities in every grammatical case (``в Новосибирске``, ``из Томска``, ``под
Барнаулом``), cities whose names are also common words or surnames (``курган``, ``тара``,
``Мирный``, ``Куйбышев``) used both ways, and ``Омск`` beside ``Томск``. Each sentence lists
the cities it names; :func:`gazette.cities.services.find_cities` is run on each against the
fixture's cities (unsaved City records: no database needed) and every miss or false match is
printed. Also prints the time per sentence against plain tokenisation in the same run.

``.venv/bin/python bench/city_suggest_bench.py``
"""

import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gazette.settings.test")

import django

django.setup()

from gazette.cities.models import City
from gazette.cities.services import find_cities

FIXTURE = REPO / "tests" / "fixtures" / "russian" / "city_sentences.json"


def load() -> tuple[list[City], list[dict]]:
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    cities = [City(pk=n, slug=c["slug"], name=c["name"], name_ru=c["name_ru"]) for n, c in enumerate(data["cities"], 1)]
    return cities, data["sentences"]


def score(cities: list[City], sentences: list[dict]) -> tuple[int, int, int, list[str]]:
    """(true positives, false positives, false negatives, a line per mistake)."""
    tp = fp = fn = 0
    mistakes = []
    for sentence in sentences:
        found = {c.slug for c in find_cities(sentence["text"], cities)}
        expected = set(sentence["cities"])
        tp += len(found & expected)
        fp += len(found - expected)
        fn += len(expected - found)
        if found != expected:
            mistakes.append(f"  {sentence['text']}  expected {sorted(expected)}, found {sorted(found)}")
    return tp, fp, fn, mistakes


def main() -> None:
    cities, sentences = load()
    tp, fp, fn, mistakes = score(cities, sentences)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(f"city suggestions: {len(sentences)} sentences, {len(cities)} cities, {tp + fn} city mentions")
    print(f"precision {precision:.3f} ({tp}/{tp + fp}), recall {recall:.3f} ({tp}/{tp + fn}); target 0.95 each")
    for line in mistakes:
        print(line)
    runs, token_runs = [], []
    for _ in range(5):
        started = time.perf_counter()
        for sentence in sentences:
            find_cities(sentence["text"], cities)
        runs.append(time.perf_counter() - started)
        started = time.perf_counter()
        for sentence in sentences:
            re.findall(r"\w+", sentence["text"])
        token_runs.append(time.perf_counter() - started)
    per_sentence = statistics.median(runs) / len(sentences)
    print(
        f"find_cities: {per_sentence * 1e6:.0f} µs per sentence (median of 5, warm); "
        f"ratio to plain tokenisation: {statistics.median(runs) / statistics.median(token_runs):.0f}x"
    )


if __name__ == "__main__":
    main()
