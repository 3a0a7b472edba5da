"""Signals about a comment's text, computed without any third-party service.

* :func:`count_links` — URLs and bare domains (``example.com``), the commonest spam payload.
* :func:`promotion_signals` — phrases that sell or recruit (``check out my channel``,
  ``скидка``), phone numbers and e-mail addresses.
* :func:`offensive_score` — the larger of alt-profanity-check's English model and the Russian
  word list; :func:`offensive_words` names the words that drove it, for the moderator. The
  Russian list is matched after :func:`normalise_lookalikes`, because abusers in a region
  writing both alphabets swap Cyrillic letters for Latin ones (``xуй``, ``cука``) and pad
  words with dots or repeated letters.

alt-profanity-check loads scikit-learn and a pickled model (about 2 s), so it is imported the
first time a score is needed and kept for the life of the process, never at app import.
"""

import functools
import re
import unicodedata

from django.conf import settings

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
        "0": "о",
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

    ``Х.У.Й``, ``xуй`` and ``хууууй`` all become ``хуй``.
    """
    text = unicodedata.normalize("NFKC", text).lower().translate(LOOKALIKES)
    text = re.sub(r"(?<=[а-я])[.\-*_](?=[а-я])", "", text)
    return re.sub(r"(.)\1{2,}", r"\1", text)


def russian_offences(text: str) -> list[str]:
    """Words of ``text`` that start with a listed stem (after a common prefix)."""
    hits = []
    for word in re.findall(r"[а-я]+", normalise_lookalikes(text)):
        for prefix in RUSSIAN_PREFIXES:
            if word.startswith(prefix) and word[len(prefix) :].startswith(RUSSIAN_STEMS):
                hits.append(word)
                break
    return hits


@functools.cache
def _profanity_model():
    """alt-profanity-check's ``predict_prob``, imported once per process on first use."""
    from profanity_check import predict_prob

    return predict_prob


def english_offence_probability(text: str) -> float:
    if not getattr(settings, "GAZETTE_COMMENT_PROFANITY_MODEL", True) or not text.strip():
        return 0.0
    return float(_profanity_model()([text])[0])


def english_offences(text: str) -> list[str]:
    """The words of ``text`` the English model finds offensive on their own (distinct, in order)."""
    if not getattr(settings, "GAZETTE_COMMENT_PROFANITY_MODEL", True):
        return []
    words = list(dict.fromkeys(w for w in re.findall(r"[A-Za-z][A-Za-z'*]{1,30}", text)))
    if not words:
        return []
    probabilities = _profanity_model()(words)
    return [w for w, p in zip(words, probabilities, strict=True) if p >= 0.5]


def offensive_words(text: str, *, limit: int = 5) -> list[str]:
    """The abusive words that drove :func:`offensive_score`, as the commenter wrote them or normalised."""
    return list(dict.fromkeys([*russian_offences(text), *english_offences(text)]))[:limit]


def offensive_score(text: str) -> float:
    """0..1: the English model's probability, or 0.99 when the Russian list matches."""
    russian = 0.99 if russian_offences(text) else 0.0
    return round(max(russian, english_offence_probability(text)), 2)
