"""The Russian site: the repository's catalogue compiled for the run, and the site switched to it."""

import re
from pathlib import Path

import polib
import pytest
from django.utils import translation

REPO = Path(__file__).resolve().parents[2]
CATALOGUE = REPO / "locale" / "ru" / "LC_MESSAGES" / "django.po"


def catalogue() -> polib.POFile:
    return polib.pofile(str(CATALOGUE))


@pytest.fixture(scope="session")
def compiled_locale(tmp_path_factory) -> Path:
    """A locale folder holding the repository's Russian catalogue, compiled now from the .po.

    Compiled here (polib, pure Python) rather than read from ``locale/``: the tests check the
    catalogue as committed, whatever .mo an earlier ``make compilemessages`` left behind.
    """
    root = tmp_path_factory.mktemp("locale")
    target = root / "ru" / "LC_MESSAGES"
    target.mkdir(parents=True)
    catalogue().save_as_mofile(str(target / "django.mo"))
    return root


@pytest.fixture
def russian_catalogue(settings, compiled_locale):
    """The Russian catalogue where the settings look for it (an editor may choose Russian)."""
    settings.LOCALE_PATHS = [str(compiled_locale)]
    return settings


@pytest.fixture
def russian_site(russian_catalogue, settings):
    """GAZETTE_LANGUAGE=ru as the settings make it: LANGUAGE_CODE 'ru', the catalogue in place."""
    settings.LANGUAGE_CODE = "ru"
    # Reader pages use the site's language: no request activates another one.
    translation.deactivate()
    yield settings
    translation.deactivate()


def russian_site_tree():
    """The test site's pages and the site itself named in Russian, as a Russian newsroom names
    them (page titles and the site's name are content, written in its language).

    Returns ``(home, news, privacy)``."""
    from tests.factories import site_tree

    home, news, privacy = site_tree()
    home.title = "Сибирская газета"
    home.save_revision().publish()
    site = home.get_site()
    site.site_name = "Сибирская газета"
    site.save()
    news.title = "Новости"
    news.save_revision().publish()
    privacy.title = "Политика конфиденциальности"
    privacy.save_revision().publish()
    return home, news, privacy


TAG = re.compile(r"<[^>]+>")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sdfr]|%\([a-z_]+\)\.[0-9]f|\{\{ *[a-z_]+ *\}\}")


def english_fragments(entry: polib.POEntry) -> tuple[set[str], set[str]]:
    """What of ``entry``'s English would betray it on a page: its phrases (two words or more,
    between placeholders and tags) and, for a one-word entry, the word itself (matched only as
    a whole piece of text, since short words also occur inside names)."""
    phrases, words = set(), set()
    translated = " ".join([entry.msgstr, *entry.msgstr_plural.values()])
    for source in filter(None, (entry.msgid, entry.msgid_plural)):
        plain = TAG.sub("\n", source.replace("&lsquo;", "‘").replace("&rsquo;", "’"))
        for piece in PLACEHOLDER.split(plain):
            for line in piece.split("\n"):
                text = " ".join(line.split()).strip(" ,.:;()·*–—")
                if not re.search(r"[A-Za-z]{2}", text) or text in translated:
                    continue
                if " " in text:
                    if len(text) >= 8:
                        phrases.add(text)
                elif not PLACEHOLDER.search(source) and "<" not in source:
                    words.add(text)
    return phrases, words


@pytest.fixture(scope="session")
def english_of_catalogue():
    phrases, words = set(), set()
    for entry in catalogue():
        if entry.msgctxt and "format" in entry.msgctxt:
            continue  # date formats are format strings, not text
        p, w = english_fragments(entry)
        phrases |= p
        words |= w
    return phrases, words
