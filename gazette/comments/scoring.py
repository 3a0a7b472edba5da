"""Signals about a comment's text, computed without any third-party service.

* :func:`count_links` — URLs and bare domains (``example.com``), the commonest spam payload.
* :func:`promotion_signals` — phrases that sell or recruit (``check out my channel``,
  ``скидка``), phone numbers and e-mail addresses.
* :func:`offensive_score` — the Russian obscenity list (0.99 on a match), which the scorer's
  abuse head (``classifier.py``) is combined with; :func:`offensive_words` names the words,
  for the moderator. The list is matched after :func:`normalise_lookalikes`, because abusers
  in a region writing both alphabets swap Cyrillic letters for Latin ones (``xуй``, ``cука``),
  digits for letters (``3``, ``0``), mask letters (``бл*ть``) and pad words with dots or
  repeated letters.
"""

import re
import unicodedata

URL_RE = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|\b[a-z0-9][a-z0-9-]{0,62}\.(?:com|net|org|info|biz|ru|su|io|ly|me|co|xyz|top|site|online|shop|club|tk|рф)\b"
    r"(?:/\S*)?",
    re.IGNORECASE,
)
PHONE_RE = re.compile(r"(?:\+?\d[\s()-]*){10,}")
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
PROMOTION_PHRASES = (
    "check out",
    "check my",
    "my channel",
    "subscribe",
    "my video",
    "my website",
    "my site",
    "my blog",
    "buy ",
    "discount",
    "promo code",
    "order now",
    "click here",
    "free download",
    "earn money",
    "make money",
    "work from home",
    "visit ",
    "whatsapp",
    "telegram",
    "best price",
    "купить",
    "куплю",
    "скидк",
    "заказ",
    "подпишись",
    "подписывайтесь",
    "мой канал",
    "переходите",
    "заработ",
    "доставка",
    "акция",
    "промокод",
    "звоните",
)

# Latin letters and digits that look like Cyrillic ones; applied only to match the Russian list.
LOOKALIKES = str.maketrans(
    {
        "a": "а",
        "b": "в",
        "c": "с",
        "e": "е",
        "ё": "е",
        "h": "н",
        "k": "к",
        "m": "м",
        "n": "п",
        "o": "о",
        "p": "р",
        "r": "г",
        "t": "т",
        "u": "и",
        "x": "х",
        "y": "у",
        "i": "и",
        "0": "о",
        "1": "и",
        "3": "з",
        "4": "ч",
        "6": "б",
        "@": "а",
    }
)

# Stems of common Russian obscenities and insults (a short list, extend as the newsroom needs).
RUSSIAN_STEMS = (
    "хуй",
    "хуе",
    "хуя",
    "хуи",
    "пизд",
    "ебал",
    "ебан",
    "ебат",
    "ебну",
    "ебло",
    "ебуч",
    "бляд",
    "блят",
    "сука",
    "суки",
    "сучк",
    "мудак",
    "мудил",
    "пидор",
    "пидар",
    "гандон",
    "долбоеб",
    "дебил",
    "идиот",
    "урод",
    "тварь",
    "мразь",
    "шлюх",
    "залуп",
    "говно",
    "говна",
    "дерьм",
    "ублюд",
    "сволоч",
    "чмо",
    "дура",
    "дурак",
    "кретин",
)
# Prefixes that derive words from those stems (заебал, отпиздить, выблядок).
RUSSIAN_PREFIXES = ("", "за", "вы", "по", "на", "от", "у", "до", "раз", "рас", "при", "об", "съ", "пере", "недо", "о")


def count_links(text: str) -> int:
    return len(URL_RE.findall(text))


def promotion_signals(text: str) -> list[str]:
    """The promotional phrases, phone numbers and e-mail addresses found in ``text``."""
    lowered = text.lower()
    found = [phrase.strip() for phrase in PROMOTION_PHRASES if phrase in lowered]
    if PHONE_RE.search(text):
        found.append("phone number")
    if EMAIL_RE.search(text):
        found.append("e-mail address")
    return found


def looks_like_promotion(text: str, links: int | None = None) -> bool:
    """Two promotional signals, or one together with a link."""
    signals = len(promotion_signals(text))
    links = count_links(text) if links is None else links
    return signals >= 2 or (signals >= 1 and links >= 1)


def normalise_lookalikes(text: str) -> str:
    """Lower-case, fold compatibility forms, map Latin look-alikes to Cyrillic, squeeze repeats.

    ``Х.У.Й``, ``xуй`` and ``хууууй`` all become ``хуй``; a ``*`` standing for a letter is kept.
    """
    text = unicodedata.normalize("NFKC", text).lower().translate(LOOKALIKES)
    text = re.sub(r"(?<=[а-я*])[.\-_](?=[а-я*])", "", text)
    return re.sub(r"(.)\1{2,}", r"\1", text)


def _matches_stem(word: str, stem: str) -> bool:
    """``word`` starts with ``stem``, where a ``*`` in ``word`` stands for any one letter (``бл*ть``)."""
    if len(word) < len(stem):
        return False
    return all(w == s or w == "*" for w, s in zip(word, stem, strict=False))


def russian_offences(text: str) -> list[str]:
    """Words of ``text`` that start with a listed stem (after a common prefix), masked letters included."""
    hits = []
    for word in re.findall(r"[а-я*]+", normalise_lookalikes(text)):
        if word.count("*") * 2 >= len(word):
            continue
        for prefix in RUSSIAN_PREFIXES:
            if not word.startswith(prefix):
                continue
            rest = word[len(prefix) :]
            if rest.startswith(RUSSIAN_STEMS) or ("*" in rest and any(_matches_stem(rest, s) for s in RUSSIAN_STEMS)):
                hits.append(word)
                break
    return hits


def offensive_words(text: str, *, limit: int = 5) -> list[str]:
    """The listed abusive words found in ``text``, as normalised (distinct, in order)."""
    return list(dict.fromkeys(russian_offences(text)))[:limit]


def offensive_score(text: str) -> float:
    """0.99 when the Russian list matches, else 0.0 (the scorer's abuse head does the rest)."""
    return 0.99 if russian_offences(text) else 0.0


# Common English obscenities and insults (stems), for the scorer's abuse head: matched after
# digits and symbols standing for letters are read as letters (``sh1t``, ``a55hole``, ``f*ck``).
ENGLISH_STEMS = (
    "fuck",
    "fuk",
    "shit",
    "bitch",
    "cunt",
    "asshole",
    "bastard",
    "dick",
    "cock",
    "whore",
    "slut",
    "fag",
    "nigger",
    "nigga",
    "retard",
    "moron",
    "idiot",
    "stupid",
    "dumbass",
    "scum",
    "pig",
    "wanker",
    "twat",
    "piss",
    "suck",
)
# What may follow a stem (``fucking``, ``idiots``), so ``pigment`` and ``Dickens`` do not match.
ENGLISH_ENDINGS = frozenset(
    ("", "s", "es", "ed", "er", "ers", "in", "ing", "y", "ty", "head", "heads", "face", "wit", "hole")
)
ENGLISH_LOOKALIKES = str.maketrans(
    {"0": "o", "1": "i", "!": "i", "3": "e", "4": "a", "5": "s", "$": "s", "@": "a", "7": "t"}
)


def english_offences(text: str) -> list[str]:
    """Words of ``text`` that start with a listed English stem, disguised spellings and masked letters included."""
    lowered = unicodedata.normalize("NFKC", text).lower()
    hits = []
    for word in re.findall(r"[a-z0-9!@$*]+", lowered):
        if word.isdigit() or word.count("*") * 2 >= len(word):
            continue
        word = re.sub(r"(.)\1{2,}", r"\1", word.translate(ENGLISH_LOOKALIKES))
        for stem in ENGLISH_STEMS:
            if not _matches_stem(word, stem):
                continue
            if word[len(stem) :] in ENGLISH_ENDINGS:
                hits.append(word)
                break
    return hits


# Russian insults (beyond the obscenities above) for the scorer's abuse head, where they are a
# feature weighed with everything else, never a rule: many also have innocent uses. Matched
# against the words of ``classifier.normalise``d text, which has already seen through disguised
# spellings. Prefixes match the start of a word; the short, ambiguous ones only as whole words
# (``лох``, not ``лохматый``; ``гад``, not ``гадать``).
RUSSIAN_INSULT_PREFIXES = (
    "ватн",
    "ватан",
    "пиндос",
    "хохл",
    "хохол",
    "лошар",
    "отброс",
    "мурл",
    "биомусор",
    "тупо",
    "тупы",
    "тупиц",
    "херн",
    "нахер",
    "похер",
    "хрен",
    "жоп",
    "засран",
    "обосра",
    "дрист",
    "задниц",
    "педик",
    "педераст",
    "гомик",
    "наркоман",
    "быдл",
    "скотин",
    "свинь",
    "козел",
    "козл",
    "петух",
    "петуш",
    "кукаре",
    "овц",
    "баран",
    "проститут",
    "шмар",
    "мраз",
    "гнид",
    "крыс",
    "подонк",
    "подонок",
    "негодя",
    "дегенерат",
    "даун",
    "олух",
    "придур",
    "бестолоч",
    "ничтожеств",
    "выродок",
    "чурк",
    "хач",
    "жид",
    "москал",
    "рашист",
    "укроп",
    "либераст",
    "заднеприводн",
    "сдох",
    "подыха",
    "клоун",
    "шиз",
    "психопат",
    "нищеброд",
    "холоп",
    "совок",
    "обезьян",
    "пидр",
    "пидарас",
    "падл",
    "паскуд",
    "имбецил",
    "олигофрен",
    "недоум",
    "безмозгл",
    "мерзав",
    "шавк",
    "заткн",
    "хам",
    "кремлебот",
    "либерах",
    "ушлеп",
    "дебилоид",
    "долба",
    "дятел",
    "дятл",
)
RUSSIAN_INSULT_WORDS = frozenset(
    ("лох", "лохи", "лохов", "гад", "гады", "гадина", "вали", "валите", "скот", "скоты", "урка", "урки")
)


def russian_insults(words) -> list[str]:
    """The ``words`` (lower case, ``е`` for ``ё``) that are listed Russian insults."""
    return [w for w in words if w in RUSSIAN_INSULT_WORDS or w.startswith(RUSSIAN_INSULT_PREFIXES)]
