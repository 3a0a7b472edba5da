"""The editorial checks run on an article before it is published.

Blocking checks (the article cannot be published, scheduled or approved for publication; a
draft can always be saved): :func:`blocking_findings`, registered as the articles' publish
check (:mod:`gazette.articles.publishing`) when the app is ready, so the editor's form shows
each beside its field and every path that publishes refuses a revision that fails them:

- ``byline``: no byline, or a contributor without a real name
  (:func:`gazette.articles.forms.byline_errors`);
- ``headline``: an empty headline;
- ``lead_image``: a lead picture without alt text or without a credit (the article's own
  ``lead_credit`` or the image's credit);
- ``body_image_credit``: a picture in the body (figure, picture group, document) without a
  credit (the block's override or the image's own credit).

Warnings (shown to the editor, each dismissible for one article):

- ``place``: a capitalised word close to a city's name or alternate spelling in the gazetteer
  but not one (``Banraul`` -> ``Barnaul``): Damerau-Levenshtein distance 1 for words of five or
  six letters, 2 from seven letters on, dictionary words excluded;
- ``mixed_script``: a word typed with Latin and Cyrillic letters that look alike (``Томcк``),
  offered in one alphabet;
- ``consistency``: one name spelt two ways in the same article (``Khanty-Mansyisk`` and
  ``Khanty-Mansiysk``);
- ``run_together``: an unknown word that splits into two known words (``Stalinhad``);
- ``spelling``: a word that neither the British nor the American hunspell dictionary nor the
  site (contributors, cities, the desk's word list) knows, with suggestions one edit away; a
  Russian word (Cyrillic letters) is judged by the Russian dictionary instead (pymorphy3), never
  by the English ones, and an English word never by the Russian one;
- ``place`` in Russian: a capitalised Russian word one or two edits from a form of a city's
  Russian name (``Новосибрске``), offered that city in the same grammatical case
  (``Новосибирске``). Every place in the gazetteer, in any case, is a correct word: a real place
  is never "corrected" into another (``Томска`` never becomes ``Омска``);
- ``caption_positions``: a picture group whose caption names a different number of positions
  (``(top)``, ``(bottom)``, ``(left)``...) than it has pictures;
- ``length``: a headline or standfirst longer than the templates and search previews show
  (``GAZETTE_HEADLINE_MAX``, ``GAZETTE_STANDFIRST_MAX``);
- ``unavailable``: a check that could not run (dictionary file missing, gazetteer unreadable);
  the others still run.

Everything here works on an :class:`~gazette.articles.publishing.ArticleDraft`, built from a
saved page or from the editor's form data, so the form, the findings panel and the ``proofread``
command run the same code.
"""

import hashlib
import html
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Self

from django.conf import settings
from django.utils.html import strip_tags
from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext_lazy
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from gazette.articles.forms import byline_errors
from gazette.articles.publishing import ArticleDraft
from gazette.cities import morphology

from .choices import Severity
from .lexicon import (
    WORD_RE,
    DictionaryUnavailable,
    RussianSpeller,
    SiteNames,
    Speller,
    bare,
    get_speller,
    load_gazetteer,
    load_places,
    load_russian_city_forms,
    load_site_words,
)

logger = logging.getLogger(__name__)

HEADLINE_MAX = 110
STANDFIRST_MAX = 300

# Two-letter words common enough to be one half of a run-together pair ("isthe" -> "is the").
SHORT_WORDS = frozenset("a i am an as at be by do go he if in is it me my no of on or so to up us we".split())
POSITION_RE = re.compile(
    r"\((?:(?:top|bottom|upper|lower)(?:[ -](?:left|right|centre|center))?|left|right|centre|center|middle)\)",
    re.IGNORECASE,
)
BLOCK_LABELS = {
    "paragraph": gettext_lazy("paragraph"),
    "subheading": gettext_lazy("subheading"),
    "quote": gettext_lazy("quote"),
    "image": gettext_lazy("picture"),
    "image_group": gettext_lazy("picture group"),
    "document": gettext_lazy("document"),
}
# The parts of a body block a finding may be in, as the editor's form names them.
PART_LABELS = {
    "attribution": gettext_lazy("attribution"),
    "caption": gettext_lazy("caption"),
    "title": pgettext_lazy("a document block's title", "title"),
    "transcription": gettext_lazy("transcription"),
}
# Where a finding is, for the parts of the article outside its body.
HEADLINE = gettext_lazy("Headline")
STANDFIRST = gettext_lazy("Standfirst")
LEAD_CAPTION = gettext_lazy("Lead caption")
LETTERS = "abcdefghijklmnopqrstuvwxyz"
RUSSIAN_LETTERS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
# Latin letters that look like Cyrillic ones, and back: a word typed with both looks right and
# is found by no search (Томcк with a Latin c).
TO_CYRILLIC = str.maketrans("aceopxyABCEHKMOPTX", "асеорхуАВСЕНКМОРТХ")
TO_LATIN = str.maketrans("асеорхуАВСЕНКМОРТХ", "aceopxyABCEHKMOPTX")
# Russian words of one or two letters that may be half of a run-together pair ("вгороде").
RUSSIAN_SHORT_WORDS = frozenset(
    "а б в ж и к о с у я бы во да до же за из ко ли мы на не ни но ну об он от по со то ты уж".split()
)

NO_HEADLINE = gettext_lazy("Write a headline: an article cannot be published without one.")
LEAD_NO_ALT = gettext_lazy(
    "The lead picture '%(title)s' has no alt text: describe it in the image's 'Alt text' field "
    "(Images, edit the picture), or choose another picture."
)
LEAD_NO_CREDIT = gettext_lazy(
    "The lead picture '%(title)s' has no credit: fill in 'Lead credit' or the image's own credit."
)
BODY_NO_CREDIT = gettext_lazy(
    "The picture '%(title)s' in body block %(number)s has no credit: "
    "fill in the block's credit or the image's own credit."
)


@dataclass(frozen=True)
class Finding:
    """One thing an editor should look at. ``text`` is what it concerns, as written."""

    check: str
    severity: str
    message: str
    text: str = ""
    where: str = ""
    replacements: tuple[str, ...] = ()
    key: str = ""  # what identifies it across edits, when not its text (e.g. the field)
    dismissible: bool = True
    field: str = ""  # the editor's form field a blocking finding belongs beside
    block: int | None = None  # with field "body": the index of the body block concerned

    @property
    def fingerprint(self) -> str:
        """Stable across re-checks of the same article: the check plus the text (or key)."""
        raw = f"{self.check}:{(self.key or self.text).lower()}"
        return hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()

    @property
    def is_blocking(self) -> bool:
        return self.severity == Severity.BLOCKING


@dataclass(frozen=True)
class Segment:
    """A piece of the article's text and where an editor finds it."""

    where: str
    text: str


def _plain(value) -> str:
    source = getattr(value, "source", value)
    return html.unescape(strip_tags(str(source or "")))


def _blocks(draft: ArticleDraft):
    """(number, block type, value) for each body block, numbered from 1 as the editor sees them."""
    for number, block in enumerate(draft.body, start=1):
        yield number, block.block_type, block.value


def _where(number: int, block_type: str, part: str = "") -> str:
    kind = BLOCK_LABELS.get(block_type, block_type)
    if part:
        return gettext("Body block %(number)s (%(kind)s %(part)s)") % {
            "number": number,
            "kind": kind,
            "part": PART_LABELS.get(part, part),
        }
    return gettext("Body block %(number)s (%(kind)s)") % {"number": number, "kind": kind}


def segments(draft: ArticleDraft) -> list[Segment]:
    """Every piece of text an editor wrote in the article (credits and link targets excluded)."""
    out = [
        Segment(str(HEADLINE), draft.headline),
        Segment(str(STANDFIRST), draft.standfirst),
        Segment(str(LEAD_CAPTION), draft.lead_caption),
    ]
    for number, block_type, value in _blocks(draft):
        if block_type in ("paragraph", "subheading"):
            out.append(Segment(_where(number, block_type), _plain(value)))
        elif block_type == "quote":
            out.append(Segment(_where(number, block_type), _plain(value.get("quote"))))
            out.append(Segment(_where(number, block_type, "attribution"), _plain(value.get("attribution"))))
        elif block_type in ("image", "image_group"):
            out.append(Segment(_where(number, block_type, "caption"), _plain(value.get("caption"))))
        elif block_type == "document":
            for part in ("title", "transcription", "caption"):
                out.append(Segment(_where(number, block_type, part), _plain(value.get(part))))
    return [s for s in out if s.text.strip()]


# --- blocking checks -------------------------------------------------------------------------


def _image_title(image) -> str:
    return getattr(image, "title", "") or gettext("image %(id)s") % {"id": image.pk}


def blocking_findings(draft: ArticleDraft) -> list[Finding]:
    """Reasons the article cannot be published yet (empty when it can).

    Each names the form field that blocks (``field``; ``block`` is the body block's index) so
    the editor's form shows the message beside it, and says how to put it right.
    """
    out: list[Finding] = []
    block = Severity.BLOCKING
    if not (draft.headline or "").strip():
        out.append(Finding("headline", block, str(NO_HEADLINE), where=str(HEADLINE), field="title"))
    if draft.contributors is not None:
        for message in byline_errors(draft.contributors):
            out.append(
                Finding(
                    "byline", block, message, where=gettext("Byline"), key=message, dismissible=False, field="bylines"
                )
            )
    image = draft.lead_image
    if image is not None:
        title = _image_title(image)

        def lead_image(message, what: str, form_field: str) -> Finding:
            """The lead picture lacks ``what`` (alt, credit), filled in under ``form_field``."""
            text = str(message) % {"title": title}
            return Finding(
                "lead_image",
                block,
                text,
                text=title,
                where=gettext("Lead picture"),
                key=f"{what}:{image.pk}",
                field=form_field,
            )

        if not (getattr(image, "description", "") or "").strip():
            out.append(lead_image(LEAD_NO_ALT, "alt", "lead_image"))
        if not ((draft.lead_credit or "").strip() or (getattr(image, "credit", "") or "").strip()):
            out.append(lead_image(LEAD_NO_CREDIT, "credit", "lead_credit"))
    for number, block_type, value in _blocks(draft):
        if block_type in ("image", "document"):
            images = [value.get("image")]
        elif block_type == "image_group":
            images = list(value.get("images") or [])
        else:
            continue
        if (value.get("credit") or "").strip():
            continue
        for image in images:
            if image is not None and not (getattr(image, "credit", "") or "").strip():
                title = _image_title(image)
                out.append(
                    Finding(
                        "body_image_credit",
                        block,
                        str(BODY_NO_CREDIT) % {"title": title, "number": number},
                        text=title,
                        where=_where(number, block_type),
                        key=f"{number}:{image.pk}",
                        field="body",
                        block=number - 1,
                    )
                )
    return [replace(f, dismissible=False) for f in out]


# --- warnings ---------------------------------------------------------------------------------


@dataclass
class Words:
    """The article's words as written, each with the segments it occurs in (first seen first)."""

    where: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, parts: list[Segment]) -> Self:
        words = cls()
        for segment in parts:
            for match in WORD_RE.finditer(segment.text):
                words.where.setdefault(match.group(), []).append(segment.where)
        return words

    def location(self, word: str) -> str:
        places = list(dict.fromkeys(self.where.get(word, [])))
        if len(places) > 1:
            more = len(places) - 1
            return ngettext("%(place)s and %(count)d more", "%(place)s and %(count)d more", more) % {
                "place": places[0],
                "count": more,
            }
        return places[0] if places else ""

    def count(self, word: str) -> int:
        return len(self.where.get(word, []))

    def warning(self, check: str, word: str, message: str, *replacements: str) -> Finding:
        """A warning about ``word`` as written, where it occurs, offering ``replacements``."""
        return Finding(
            check, Severity.WARNING, message, text=word, where=self.location(word), replacements=replacements
        )


def _limit(length: int) -> int:
    """How many edits still make a near miss: short names sit close to many real words."""
    return 1 if length < 7 else 2


def _capitalised(word: str) -> bool:
    return len(word) >= 5 and word[0].isupper() and not word.isupper()


class Checker:
    """Runs the warning checks on one article with the dictionaries and the site's names.

    ``speller`` judges Latin-script words, ``russian`` Cyrillic ones; a check whose dictionary
    is missing (None) leaves that alphabet's words alone.
    """

    def __init__(self, speller: Speller | None, names: SiteNames, russian: RussianSpeller | None = None):
        self.speller = speller
        self.names = names
        self.russian = russian

    def known(self, word: str) -> bool:
        if self.names.knows(word) or self.names.knows(bare(word)):
            return True
        if morphology.is_cyrillic(word):
            return self.russian is not None and self.russian.known(word)
        return self.speller is not None and (self.speller.known(word) or self.speller.known(bare(word)))

    def accepted(self, word: str) -> bool:
        """Known, or a place in the gazetteer (never judged: a real place is never corrected)."""
        return self.known(word) or self.names.is_place(bare(word))

    def judges(self, word: str) -> bool:
        """Whether a dictionary for the word's alphabet is at hand (English or Russian)."""
        if morphology.is_cyrillic(word):
            return self.russian is not None
        return morphology.is_latin(word) and self.speller is not None

    def in_dictionary(self, word: str) -> bool:
        return self.speller is not None and self.speller.known(word)

    # place names
    def places(self, words: Words) -> list[Finding]:
        gazetteer = self.names.city_spellings
        if not gazetteer:
            return []
        by_length: dict[int, list[str]] = {}
        for spelling in gazetteer:
            by_length.setdefault(len(spelling), []).append(spelling)
        out = []
        for word in words.where:
            name = bare(word)
            lowered = name.lower()
            if not morphology.is_latin(name):
                continue  # Russian names have their own check (russian_places)
            if not _capitalised(name) or lowered in gazetteer or lowered in self.names.words:
                continue
            if self.in_dictionary(name) or self.names.is_place(name):
                continue
            limit = _limit(len(name))
            # Only spellings within `limit` letters of the word's length can be `limit` edits away.
            candidates = [
                spelling
                for length in range(len(lowered) - limit, len(lowered) + limit + 1)
                for spelling in by_length.get(length, ())
            ]
            match = process.extractOne(lowered, candidates, scorer=DamerauLevenshtein.distance, score_cutoff=limit)
            if match is None:
                continue
            best, best_distance = match[0], match[1]
            if best is None or (best_distance > 1 and self.split(name)):
                continue  # Two edits from a city but two words run together: 'Stalinhad'.
            spelling, city = gazetteer[best]
            replacement = spelling + word[len(name) :]
            if spelling != city:
                message = gettext(
                    "'%(word)s' is not a place in the gazetteer; "
                    "did you mean '%(replacement)s' (a spelling of %(city)s)?"
                ) % {"word": word, "replacement": replacement, "city": city}
            else:
                message = gettext("'%(word)s' is not a place in the gazetteer; did you mean '%(replacement)s'?") % {
                    "word": word,
                    "replacement": replacement,
                }
            out.append(words.warning("place", word, message, replacement))
        return out

    def russian_places(self, words: Words) -> list[Finding]:
        """Capitalised Russian words close to a form of a city's Russian name but not one.

        The replacement is the nearest form, and among equally near ones the form in the
        grammatical case the misspelt word is in (``Новосибрске`` -> ``Новосибирске``).
        """
        city_forms = self.names.russian_city_forms
        if not city_forms or self.russian is None:
            return []
        by_length: dict[int, list[str]] = {}
        for form in city_forms:
            by_length.setdefault(len(form), []).append(form)
        out = []
        for word in words.where:
            if not morphology.is_cyrillic(word) or not _capitalised(word) or self.accepted(word):
                continue
            lowered = morphology.normalise(word)
            limit = _limit(len(lowered))
            candidates = [
                form
                for length in range(len(lowered) - limit, len(lowered) + limit + 1)
                for form in by_length.get(length, ())
            ]
            scored = [(DamerauLevenshtein.distance(lowered, c, score_cutoff=limit), c) for c in candidates]
            scored = [(d, c) for d, c in scored if d <= limit]
            if not scored:
                continue
            nearest = min(d for d, _ in scored)
            cases = morphology.cases_of(word)
            best = sorted(
                (c for d, c in scored if d == nearest),
                key=lambda c: (city_forms[c][1] not in cases, -_common_suffix(lowered, c), c),
            )[0]
            replacement = city_forms[best][0]
            message = gettext("'%(word)s' is not a place in the gazetteer; did you mean '%(replacement)s'?") % {
                "word": word,
                "replacement": replacement,
            }
            out.append(words.warning("place", word, message, replacement))
        return out

    def mixed_scripts(self, words: Words) -> list[Finding]:
        """Words typed with both Latin and Cyrillic letters, offered in one alphabet when the
        look-alike letters' swap makes a known word (``Томcк`` -> ``Томск``)."""
        out = []
        for word in words.where:
            if not (morphology.CYRILLIC_RE.search(word) and morphology.LATIN_RE.search(word)):
                continue
            options = [w for w in (word.translate(TO_CYRILLIC), word.translate(TO_LATIN)) if self.accepted(w)]
            message = gettext("'%(word)s' mixes Latin and Cyrillic letters that look alike.") % {"word": word}
            out.append(words.warning("mixed_script", word, message, *options[:1]))
        return out

    # one name, two spellings
    def consistency(self, words: Words, skip: set[str]) -> list[Finding]:
        names: dict[str, str] = {}  # lower-cased -> first spelling as written
        counts: dict[str, int] = {}
        for word in words.where:
            name = bare(word)
            if _capitalised(name) and morphology.is_latin(name):  # Russian names inflect: not variants
                names.setdefault(name.lower(), name)
                counts[name.lower()] = counts.get(name.lower(), 0) + words.count(word)
        keys = list(names)
        out, reported = [], set()
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                if a.startswith(b) or b.startswith(a) or abs(len(a) - len(b)) > 2:
                    continue  # Petrov/Petrova, Russia/Russian: inflections, not variants
                limit = _limit(min(len(a), len(b)))
                if DamerauLevenshtein.distance(a, b, score_cutoff=limit) > limit:
                    continue
                preferred = self._preferred(a, b, counts)
                if preferred is None:
                    continue
                variant = b if preferred == a else a
                text, better = names[variant], names[preferred]
                city = self.names.city_spellings.get(preferred)
                if city and city[1].lower() == preferred:
                    better = city[1]
                if text in skip or variant in reported:
                    continue
                reported.add(variant)
                message = gettext(
                    "This article spells one name two ways, '%(first)s' and '%(second)s': use '%(better)s'."
                ) % {"first": text, "second": names[preferred], "better": better}
                out.append(words.warning("consistency", text, message, better))
        return out

    def _preferred(self, a: str, b: str, counts: dict[str, int]) -> str | None:
        """Which of two close spellings to keep, or None when both are right (two real names)."""
        gazetteer = self.names.city_spellings
        city_a, city_b = gazetteer.get(a), gazetteer.get(b)
        if city_a and city_b:
            if city_a[1] != city_b[1]:
                return None  # Two different cities (Omsk, Tomsk).
            name = city_a[1].lower()
            return a if a == name else b if b == name else (a if counts[a] >= counts[b] else b)
        if city_a or city_b:
            other = b if city_a else a
            if self.known(other) or self.known(other.capitalize()):
                return None  # A city and a real word or a known person (Barnaul, Barnaby).
            return a if city_a else b
        known_a = self.known(a) or self.known(a.capitalize())
        known_b = self.known(b) or self.known(b.capitalize())
        if known_a and known_b:
            return None  # Two real words or two people the site knows.
        if known_a != known_b:
            return a if known_a else b
        return a if counts[a] >= counts[b] else b

    # spelling and run-together words
    def spelling(self, words: Words, skip: set[str]) -> list[Finding]:
        out = []
        for word in words.where:
            name = bare(word)
            if word in skip or len(name) < 2 or name.isupper() or not self.judges(name) or self.accepted(word):
                continue
            if "-" in name and all(self.known(part) for part in name.split("-") if part):
                continue
            split = self.split(name)
            if split:
                replacement = split + word[len(name) :]
                message = gettext("'%(word)s' looks like two words run together: '%(replacement)s'.") % {
                    "word": word,
                    "replacement": replacement,
                }
                out.append(words.warning("run_together", word, message, replacement))
                continue
            suggestions = tuple(s + word[len(name) :] for s in self.suggest(name))
            if morphology.is_cyrillic(name):
                message = gettext("'%(word)s' is not in the Russian dictionary nor in the site's word list.") % {
                    "word": word
                }
                if suggestions:
                    message += " " + gettext("Did you mean %(options)s?") % {
                        "options": " / ".join(f"'{s}'" for s in suggestions)
                    }
            else:
                message = gettext(
                    "'%(word)s' is not in the British or American dictionary nor in the site's word list."
                ) % {"word": word}
                if suggestions:
                    message += " " + gettext("Did you mean %(options)s?") % {
                        "options": gettext(" or ").join(f"'{s}'" for s in suggestions)
                    }
            out.append(words.warning("spelling", word, message, *suggestions))
        return out

    def _part_known(self, part: str) -> bool:
        short = RUSSIAN_SHORT_WORDS if morphology.is_cyrillic(part) else SHORT_WORDS
        if len(part) < 3 and part.lower() not in short:
            return False
        return self.known(part)

    def split(self, word: str) -> str | None:
        """``Stalinhad`` -> ``Stalin had``: the most even split into two known words, if any."""
        best, best_score = None, 0
        for i in range(1, len(word)):
            left, right = word[:i], word[i:]
            if not right.isalpha() or not left.isalpha():
                continue
            if self._part_known(left) and self._part_known(right):
                score = min(len(left), len(right))
                if score > best_score:
                    best, best_score = f"{left} {right}", score
        return best

    def suggest(self, word: str, limit: int = 3) -> list[str]:
        """Known words one edit away (transposition first: the commonest typing slip).

        Edits keep the word's capitals (``Khanty-Mansyisk`` stays capitalised after the hyphen);
        a lower-case word the dictionary knows only capitalised (``moscow``) comes first.
        """
        letters = RUSSIAN_LETTERS if morphology.is_cyrillic(word) else LETTERS
        splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
        ranked: dict[str, tuple[int, int]] = {}
        if word.islower() and self.known(word.capitalize()):
            ranked[word.capitalize()] = (-1, 0)
        kinds: list[tuple[int, Callable[[], Iterable[str]]]] = [
            (0, lambda: (a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1)),
            (1, lambda: (a + c + b[1:] for a, b in splits if b for c in letters)),
            (2, lambda: (a + b[1:] for a, b in splits if b)),
            (3, lambda: (a + c + b for a, b in splits for c in letters)),
        ]
        for rank, generate in kinds:
            for candidate in generate():
                if candidate == word or candidate in ranked or not candidate:
                    continue
                if self.known(candidate):
                    ranked[candidate] = (rank, 0 if candidate[:1] == word[:1] else 1)
        return sorted(ranked, key=lambda c: (*ranked[c], c))[:limit]


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def caption_findings(draft: ArticleDraft) -> list[Finding]:
    """Picture groups whose caption names more or fewer positions than the group has pictures."""
    out = []
    for number, block_type, value in _blocks(draft):
        if block_type != "image_group":
            continue
        caption = _plain(value.get("caption"))
        markers = POSITION_RE.findall(caption)
        pictures = len([i for i in value.get("images") or [] if i is not None])
        if markers and len(markers) != pictures:
            named = ", ".join(markers)
            out.append(
                Finding(
                    "caption_positions",
                    Severity.WARNING,
                    ngettext(
                        "The caption of body block %(number)s names %(count)d positions (%(named)s) "
                        "but the group has %(pictures)d picture.",
                        "The caption of body block %(number)s names %(count)d positions (%(named)s) "
                        "but the group has %(pictures)d pictures.",
                        pictures,
                    )
                    % {"number": number, "count": len(markers), "named": named, "pictures": pictures},
                    text=caption[:255],
                    where=_where(number, block_type, "caption"),
                    key=f"{named}/{pictures}",
                )
            )
    return out


def length_findings(draft: ArticleDraft) -> list[Finding]:
    """Headline or standfirst longer than the site shows in full."""
    out = []
    too_long = {
        "Headline": gettext_lazy(
            "The headline has %(count)d characters; listings and search previews show %(limit)d, "
            "so readers will see it cut short."
        ),
        "Standfirst": gettext_lazy(
            "The standfirst has %(count)d characters; listings and search previews show %(limit)d, "
            "so readers will see it cut short."
        ),
    }
    limits = [
        ("Headline", HEADLINE, draft.headline, getattr(settings, "GAZETTE_HEADLINE_MAX", HEADLINE_MAX)),
        ("Standfirst", STANDFIRST, draft.standfirst, getattr(settings, "GAZETTE_STANDFIRST_MAX", STANDFIRST_MAX)),
    ]
    for key, label, text, limit in limits:
        text = (text or "").strip()
        if len(text) > limit:
            out.append(
                Finding(
                    "length",
                    Severity.WARNING,
                    str(too_long[key]) % {"count": len(text), "limit": limit},
                    text=text[:255],
                    where=str(label),
                    key=key,
                )
            )
    return out


NO_BODY = gettext_lazy(
    "The article has no body: readers see only its headline and standfirst. "
    "Write the body, or unpublish the article if it should not be read."
)


def body_findings(draft: ArticleDraft) -> list[Finding]:
    """An article without a body (an import keeps such posts as they were on the old site)."""
    if any(True for _ in draft.body or ()):
        return []
    return [Finding("empty_body", Severity.WARNING, str(NO_BODY), where=gettext("Body"), key="body")]


# The checks by name, as a finding saying one could not run names them.
CHECK_LABELS = {
    "place-name check": gettext_lazy("place-name check"),
    "gazetteer": gettext_lazy("gazetteer"),
    "site word list": gettext_lazy("site word list"),
    "spelling check": gettext_lazy("spelling check"),
    "Russian spelling check": gettext_lazy("Russian spelling check"),
    "Russian place-name check": gettext_lazy("Russian place-name check"),
    "alphabet check": gettext_lazy("alphabet check"),
    "consistency check": gettext_lazy("consistency check"),
    "caption check": gettext_lazy("caption check"),
    "length check": gettext_lazy("length check"),
    "body check": gettext_lazy("body check"),
}


def _unavailable(what: str, err: Exception) -> Finding:
    return Finding(
        "unavailable",
        Severity.WARNING,
        gettext("The %(check)s could not run (%(error)s); the other checks did.")
        % {"check": CHECK_LABELS.get(what, what), "error": err},
        where=gettext("Checks"),
        key=what,
        dismissible=False,
    )


def warning_findings(draft: ArticleDraft) -> list[Finding]:
    """Every warning, each check isolated: one that fails reports itself and the rest run."""
    out: list[Finding] = []
    names = SiteNames()
    try:
        names.city_spellings = load_gazetteer()
    except Exception as err:  # a broken gazetteer must not stop a save
        logger.exception("Gazetteer unavailable for the editorial checks")
        out.append(_unavailable("place-name check", err))
    try:
        names.places = load_places()
        names.russian_city_forms = load_russian_city_forms()
    except Exception as err:  # without the gazetteer's places, fewer names are known: still run
        logger.exception("Gazetteer places unavailable for the editorial checks")
        out.append(_unavailable("gazetteer", err))
    try:
        names.words = load_site_words()
    except Exception as err:  # the word list is an aid, not a requirement
        logger.exception("Site word list unavailable for the editorial checks")
        out.append(_unavailable("site word list", err))
    speller = None
    try:
        speller = get_speller()
    except DictionaryUnavailable as err:
        out.append(_unavailable("spelling check", err))
    russian = None
    try:
        russian = RussianSpeller()
    except DictionaryUnavailable as err:
        out.append(_unavailable("Russian spelling check", err))

    words = Words.of(segments(draft))
    checker = Checker(speller, names, russian)
    flagged: set[str] = set()

    def run(label: str, check: Callable[[], list[Finding]]) -> None:
        try:
            found = check()
        except Exception as err:  # one failing check never hides the others
            logger.exception("Editorial check %s failed", label)
            out.append(_unavailable(label, err))
            return
        out.extend(found)
        flagged.update(f.text for f in found)

    if names.city_spellings:
        run("place-name check", lambda: checker.places(words))
        run("Russian place-name check", lambda: checker.russian_places(words))
    run("alphabet check", lambda: checker.mixed_scripts(words))
    run("consistency check", lambda: checker.consistency(words, flagged))
    if speller is not None or russian is not None:
        run("spelling check", lambda: checker.spelling(words, flagged))
    run("caption check", lambda: caption_findings(draft))
    run("length check", lambda: length_findings(draft))
    run("body check", lambda: body_findings(draft))
    return out


def run_checks(draft: ArticleDraft) -> list[Finding]:
    """Blocking findings first, then the warnings."""
    return [*blocking_findings(draft), *warning_findings(draft)]
